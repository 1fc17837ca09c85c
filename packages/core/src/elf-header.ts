import { constants as fsConstants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import elfy from 'elfy';
import { err, ok, type Result } from 'neverthrow';
import { elfMachineName, elfTypeName } from './internal/elf-names.js';
import { toHex } from './internal/escape.js';

/**
 * How many bytes of a file the kernel reads to match binfmt_misc entries
 * (`BINPRM_BUF_SIZE`, 256 since Linux 5.1), and so how many {@link readElfHeader} reads.
 */
export const HEADER_READ_SIZE = 256;

/** The ELF header fields that decide which emulator runs a file. */
export interface ElfHeader {
  /** The first bytes of the file as the kernel sees them, at most {@link HEADER_READ_SIZE}. */
  readonly bytes: Uint8Array;
  /** EI_CLASS: 32 or 64. */
  readonly class: 32 | 64;
  /** EI_DATA. */
  readonly byteOrder: 'little' | 'big';
  /** EI_OSABI (0 System V, 3 GNU/Linux, …). */
  readonly osAbi: number;
  /** EI_ABIVERSION. */
  readonly abiVersion: number;
  /** e_type as a number (2 ET_EXEC, 3 ET_DYN, …). */
  readonly type: number;
  /** e_type as a name: `exec`, `dyn`, `rel`, `core` or `unknown-<n>`. */
  readonly typeName: string;
  /** e_machine as a number. */
  readonly machine: number;
  /** e_machine as a name, such as `aarch64`, `riscv` or `loongarch`. */
  readonly machineName: string;
  /** e_version. */
  readonly version: number;
  /** e_flags (ABI bits, such as `EF_MIPS_ABI2` = 0x20). */
  readonly flags: number;
  readonly programHeaderOffset: number;
  readonly programHeaderEntrySize: number;
  readonly programHeaderCount: number;
  /** Present only when {@link ReadElfHeaderOptions.programHeaders} was set. */
  readonly linkage?: ElfLinkage;
}

/**
 * Whether a program needs a dynamic loader. A static-PIE (ET_DYN without PT_INTERP)
 * is static.
 */
export type ElfLinkage = { readonly kind: 'static' } | { readonly kind: 'dynamic'; readonly interpreter: string };

/** Kinds of non-regular files, which are rejected before any read so that none can block. */
export type SpecialFileType = 'fifo' | 'socket' | 'character-device' | 'block-device' | 'other';

/** The reason a file's ELF header could not be read. `path` is `null` when bytes were given. */
export type ElfHeaderError =
  | { readonly kind: 'not-found'; readonly path: string }
  | { readonly kind: 'unreadable'; readonly path: string; readonly code: string }
  | { readonly kind: 'is-directory'; readonly path: string }
  | { readonly kind: 'not-regular-file'; readonly path: string; readonly fileType: SpecialFileType }
  | { readonly kind: 'not-elf'; readonly path: string | null; readonly prefix: string }
  | { readonly kind: 'truncated'; readonly path: string | null; readonly size: number; readonly needed: number }
  | { readonly kind: 'invalid-class'; readonly path: string | null; readonly value: number }
  | { readonly kind: 'invalid-byte-order'; readonly path: string | null; readonly value: number }
  | { readonly kind: 'invalid-program-headers'; readonly path: string | null; readonly reason: string };

/** Options of {@link readElfHeader}. */
export interface ReadElfHeaderOptions {
  /**
   * Also read the program headers (and the PT_INTERP path) to tell static from dynamic
   * programs. This reads past the first 256 bytes, bounded by the program header table.
   * @default false
   */
  readonly programHeaders?: boolean;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** PT_INTERP names the dynamic loader. */
const PT_INTERP = 3;
/** Program header tables larger than this are treated as corrupt, so a hostile file cannot make us read megabytes. */
const MAX_PROGRAM_HEADERS = 4096;
/** Longest PT_INTERP path read (PATH_MAX). */
const MAX_INTERPRETER_LENGTH = 4096;

const parser = new elfy.Parser();

function fileTypeOf(stats: Stats): SpecialFileType {
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character-device';
  if (stats.isBlockDevice()) return 'block-device';
  return 'other';
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'EIO';
}

/**
 * Read the ELF header of a file (reading at most its first 256 bytes, what the kernel
 * itself reads to match entries) or of bytes already in memory.
 *
 * Directories, FIFOs, sockets and devices are rejected from `stat()` before the file is
 * opened, so nothing blocks. The whole file is never read.
 *
 * @example
 * const header = await readElfHeader('/usr/bin/qemu-aarch64-static');
 * if (header.isOk()) console.log(header.value.machineName); // 'x86_64'
 */
export async function readElfHeader(
  source: string | Uint8Array,
  options: ReadElfHeaderOptions = {},
): Promise<Result<ElfHeader, ElfHeaderError>> {
  if (typeof source !== 'string') {
    const parsed = parseElfHeader(source, null);
    if (parsed.isErr() || options.programHeaders !== true) return parsed;
    return readLinkageFromBytes(parsed.value, source);
  }
  const path = source;
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    return err(openError(path, error));
  }
  if (stats.isDirectory()) return err({ kind: 'is-directory', path });
  if (!stats.isFile()) return err({ kind: 'not-regular-file', path, fileType: fileTypeOf(stats) });

  let handle: FileHandle;
  try {
    // O_NONBLOCK and the second fstat() guard against the file being swapped for a FIFO after stat().
    handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
  } catch (error) {
    return err(openError(path, error));
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return err({ kind: 'not-regular-file', path, fileType: fileTypeOf(opened) });
    const bytes = await readAt(handle, 0, HEADER_READ_SIZE);
    const parsed = parseElfHeader(bytes, path);
    if (parsed.isErr() || options.programHeaders !== true) return parsed;
    return await readLinkageFromFile(parsed.value, handle, path);
  } catch (error) {
    return err({ kind: 'unreadable', path, code: errorCode(error) });
  } finally {
    await handle.close();
  }
}

function openError(path: string, error: unknown): ElfHeaderError {
  const code = errorCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'not-found', path };
  if (code === 'EISDIR') return { kind: 'is-directory', path };
  return { kind: 'unreadable', path, code };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * Parse an ELF header from the first bytes of a file. Only the e_ident bytes and the
 * fixed header fields are read; sections are never parsed, so stripped and truncated
 * programs work.
 */
export function parseElfHeader(bytes: Uint8Array, path: string | null = null): Result<ElfHeader, ElfHeaderError> {
  const head = bytes.subarray(0, HEADER_READ_SIZE);
  for (let index = 0; index < ELF_MAGIC.length; index += 1) {
    if (index >= head.length) {
      return err({ kind: 'truncated', path, size: head.length, needed: 52 });
    }
    if (head[index] !== ELF_MAGIC[index]) {
      return err({ kind: 'not-elf', path, prefix: toHex(head.subarray(0, 16)) });
    }
  }
  const classByte = head[4];
  if (classByte === undefined) return err({ kind: 'truncated', path, size: head.length, needed: 52 });
  if (classByte !== 1 && classByte !== 2) return err({ kind: 'invalid-class', path, value: classByte });
  const needed = classByte === 1 ? 52 : 64;
  const dataByte = head[5];
  if (dataByte !== undefined && dataByte !== 1 && dataByte !== 2) {
    return err({ kind: 'invalid-byte-order', path, value: dataByte });
  }
  if (head.length < needed) return err({ kind: 'truncated', path, size: head.length, needed });

  const fields = parser.parseHeader(Buffer.from(head.buffer, head.byteOffset, head.length));
  // elfy reads EI_OSABI and EI_ABIVERSION one byte early, so these two come from e_ident directly.
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  const littleEndian = dataByte === 1;
  const type = view.getUint16(16, littleEndian);
  const machine = view.getUint16(18, littleEndian);
  return ok({
    bytes: Uint8Array.from(head),
    class: classByte === 1 ? 32 : 64,
    byteOrder: littleEndian ? 'little' : 'big',
    osAbi: head[7] as number,
    abiVersion: head[8] as number,
    type,
    typeName: elfTypeName(type),
    machine,
    machineName: elfMachineName(machine),
    version: fields.version,
    flags: fields.flags >>> 0,
    programHeaderOffset: fields.phoff,
    programHeaderEntrySize: fields.phentsize,
    programHeaderCount: fields.phnum,
  });
}

function programTableSize(header: ElfHeader, path: string | null): Result<number, ElfHeaderError> {
  const expectedEntrySize = header.class === 32 ? 32 : 56;
  if (header.programHeaderCount === 0) return ok(0);
  if (header.programHeaderEntrySize !== expectedEntrySize) {
    return err({
      kind: 'invalid-program-headers',
      path,
      reason: `e_phentsize is ${header.programHeaderEntrySize}, expected ${expectedEntrySize}`,
    });
  }
  if (header.programHeaderCount > MAX_PROGRAM_HEADERS) {
    return err({
      kind: 'invalid-program-headers',
      path,
      reason: `e_phnum is ${header.programHeaderCount}, more than ${MAX_PROGRAM_HEADERS}`,
    });
  }
  return ok(header.programHeaderCount * header.programHeaderEntrySize);
}

function elfyHeaderOf(header: ElfHeader): ReturnType<typeof parser.parseHeader> {
  return parser.parseHeader(Buffer.from(header.bytes));
}

function findInterpreterSegment(header: ElfHeader, table: Uint8Array): { offset: number; size: number } | undefined {
  const fields = elfyHeaderOf(header);
  const empty = Buffer.alloc(0);
  for (let index = 0; index < header.programHeaderCount; index += 1) {
    const start = index * header.programHeaderEntrySize;
    const entry = Buffer.from(table.buffer, table.byteOffset + start, header.programHeaderEntrySize);
    const view = new DataView(entry.buffer, entry.byteOffset, entry.length);
    if (view.getUint32(0, header.byteOrder === 'little') !== PT_INTERP) continue;
    const program = parser.parseProgram(entry, fields, empty);
    return { offset: program.offset, size: Math.min(program.filesz, MAX_INTERPRETER_LENGTH) };
  }
  return undefined;
}

function interpreterText(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
}

async function readLinkageFromFile(
  header: ElfHeader,
  handle: FileHandle,
  path: string,
): Promise<Result<ElfHeader, ElfHeaderError>> {
  const size = programTableSize(header, path);
  if (size.isErr()) return err(size.error);
  const table = await readAt(handle, header.programHeaderOffset, size.value);
  if (table.length < size.value) {
    return err({
      kind: 'invalid-program-headers',
      path,
      reason: 'the program header table is past the end of the file',
    });
  }
  const segment = findInterpreterSegment(header, table);
  if (segment === undefined) return ok({ ...header, linkage: { kind: 'static' } });
  const interpreter = interpreterText(await readAt(handle, segment.offset, segment.size));
  return ok({ ...header, linkage: { kind: 'dynamic', interpreter } });
}

function readLinkageFromBytes(header: ElfHeader, bytes: Uint8Array): Result<ElfHeader, ElfHeaderError> {
  const size = programTableSize(header, null);
  if (size.isErr()) return err(size.error);
  const start = header.programHeaderOffset;
  if (start + size.value > bytes.length) {
    return err({ kind: 'truncated', path: null, size: bytes.length, needed: start + size.value });
  }
  const segment = findInterpreterSegment(header, bytes.subarray(start, start + size.value));
  if (segment === undefined) return ok({ ...header, linkage: { kind: 'static' } });
  if (segment.offset + segment.size > bytes.length) {
    return err({ kind: 'truncated', path: null, size: bytes.length, needed: segment.offset + segment.size });
  }
  const interpreter = interpreterText(bytes.subarray(segment.offset, segment.offset + segment.size));
  return ok({ ...header, linkage: { kind: 'dynamic', interpreter } });
}
