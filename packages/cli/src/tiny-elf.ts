/**
 * Builders of the smallest static ELF programs that call `exit(0)`, used to probe which
 * foreign instruction sets the host runs without an emulator.
 *
 * @module
 */

/** A 32-bit ELF program built in memory. */
export interface TinyElfSpec {
  /** e_machine: 3 for i386, 40 for arm. */
  readonly machine: number;
  readonly byteOrder: 'little' | 'big';
  /** e_flags, such as `0x05000000` (EABI version 5) for arm. */
  readonly flags: number;
  /** Machine code placed right after the headers; execution starts at its first byte. */
  readonly code: Uint8Array;
}

const ELF32_HEADER_SIZE = 52;
const ELF32_PROGRAM_HEADER_SIZE = 32;
/** Virtual address the single segment is loaded at; above the default `vm.mmap_min_addr` (65536). */
const LOAD_ADDRESS = 0x0040_0000;
const ET_EXEC = 2;
const PT_LOAD = 1;
const PF_R_X = 0x5;

/**
 * Build a static 32-bit ELF executable with one `PT_LOAD` segment that maps the whole file
 * and starts at `spec.code`.
 *
 * @example
 * writeFileSync(path, buildElf32(I386_EXIT_ZERO), { mode: 0o755 });
 */
export function buildElf32(spec: TinyElfSpec): Uint8Array {
  const codeOffset = ELF32_HEADER_SIZE + ELF32_PROGRAM_HEADER_SIZE;
  const size = codeOffset + spec.code.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const little = spec.byteOrder === 'little';

  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, little ? 1 : 2, 1, 0], 0);
  view.setUint16(16, ET_EXEC, little);
  view.setUint16(18, spec.machine, little);
  view.setUint32(20, 1, little); // e_version
  view.setUint32(24, LOAD_ADDRESS + codeOffset, little); // e_entry
  view.setUint32(28, ELF32_HEADER_SIZE, little); // e_phoff
  view.setUint32(32, 0, little); // e_shoff
  view.setUint32(36, spec.flags, little);
  view.setUint16(40, ELF32_HEADER_SIZE, little); // e_ehsize
  view.setUint16(42, ELF32_PROGRAM_HEADER_SIZE, little); // e_phentsize
  view.setUint16(44, 1, little); // e_phnum
  view.setUint16(46, 0, little); // e_shentsize
  view.setUint16(48, 0, little); // e_shnum
  view.setUint16(50, 0, little); // e_shstrndx

  const ph = ELF32_HEADER_SIZE;
  view.setUint32(ph, PT_LOAD, little);
  view.setUint32(ph + 4, 0, little); // p_offset
  view.setUint32(ph + 8, LOAD_ADDRESS, little); // p_vaddr
  view.setUint32(ph + 12, LOAD_ADDRESS, little); // p_paddr
  view.setUint32(ph + 16, size, little); // p_filesz
  view.setUint32(ph + 20, size, little); // p_memsz
  view.setUint32(ph + 24, PF_R_X, little);
  view.setUint32(ph + 28, 0x1000, little); // p_align

  bytes.set(spec.code, codeOffset);
  return bytes;
}

/** i386 `exit(0)`: `mov eax, 1` (SYS_exit), `xor ebx, ebx`, `int 0x80`. */
export const I386_EXIT_ZERO: TinyElfSpec = Object.freeze({
  machine: 3,
  byteOrder: 'little',
  flags: 0,
  code: Uint8Array.from([0xb8, 0x01, 0x00, 0x00, 0x00, 0x31, 0xdb, 0xcd, 0x80]),
});

/** 32-bit little-endian arm (EABI 5) `exit(0)`: `mov r0, #0`, `mov r7, #1` (SYS_exit), `svc #0`. */
export const ARM_EXIT_ZERO: TinyElfSpec = Object.freeze({
  machine: 40,
  byteOrder: 'little',
  flags: 0x0500_0000,
  code: Uint8Array.from([0x00, 0x00, 0xa0, 0xe3, 0x01, 0x70, 0xa0, 0xe3, 0x00, 0x00, 0x00, 0xef]),
});
