// Declarations for elfy 1.0.0, which ships JavaScript only. They cover the parts
// this package calls: the header and program-header parsers and the constant tables.
declare module 'elfy' {
  export interface ElfyHeader {
    class: '32' | '64';
    endian: 'lsb' | 'msb';
    type: string | undefined;
    machine: string | undefined;
    version: number;
    entry: number;
    phoff: number;
    shoff: number;
    flags: number;
    ehsize: number;
    phentsize: number;
    phnum: number;
    shentsize: number;
    shnum: number;
    shstrndx: number;
  }

  export interface ElfyProgram {
    type: string | undefined;
    offset: number;
    vaddr: number;
    paddr: number;
    filesz: number;
    memsz: number;
    flags: Record<string, boolean>;
    align: number;
    data: Buffer;
  }

  export class Parser {
    /** Reads e_ident and the fixed header fields; throws on an unknown class or byte order. */
    parseHeader(buffer: Buffer): ElfyHeader;
    /** Reads one program header entry; `file` is only sliced for the segment's data. */
    parseProgram(entry: Buffer, header: ElfyHeader, file: Buffer): ElfyProgram;
  }

  export const constants: {
    readonly machine: Readonly<Record<number, string>>;
    readonly type: Readonly<Record<number, string>>;
    readonly entryType: Readonly<Record<number, string>>;
  };

  /** Parses a whole file image, sections included; throws on stripped or truncated files. */
  export function parse(buffer: Buffer): unknown;

  const elfy: {
    Parser: typeof Parser;
    constants: typeof constants;
    parse: typeof parse;
  };
  export default elfy;
}
