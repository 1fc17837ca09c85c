import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetName } from '@qus/core';

/** The Debian architectures whose busybox-static headers are committed under `fixtures/`. */
export const BUSYBOX_ARCHITECTURES = [
  'arm64',
  'armhf',
  'armel',
  'i386',
  'mips64el',
  'mipsel',
  'ppc64el',
  's390x',
] as const;
export type BusyboxArchitecture = (typeof BUSYBOX_ARCHITECTURES)[number];

/** The QEMU target that runs each committed busybox binary. */
export const BUSYBOX_TARGET: Readonly<Record<BusyboxArchitecture, TargetName>> = {
  arm64: 'aarch64',
  armhf: 'arm',
  armel: 'arm',
  i386: 'i386',
  mips64el: 'mips64el',
  mipsel: 'mipsel',
  ppc64el: 'ppc64le',
  s390x: 's390x',
};

/** The first 256 bytes of Debian bookworm's busybox-static for one architecture. */
export function busyboxHeader(architecture: BusyboxArchitecture): Uint8Array {
  return new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'fixtures', `busybox-${architecture}.bin`)));
}

/** ELF field values that decide which QEMU target runs a program. */
export interface HeaderFields {
  readonly elfClass: 32 | 64;
  readonly byteOrder: 'little' | 'big';
  readonly machine: number;
  /** e_flags. */
  readonly flags?: number;
  /** @default 2 (ET_EXEC) */
  readonly type?: number;
  /** @default 0 */
  readonly osAbi?: number;
}

/** EF_MIPS_ARCH_32R2 with EF_MIPS_NOREORDER, PIC and CPIC, as gcc writes for o32. */
const MIPS_O32_FLAGS = 0x70001007;
/** EF_MIPS_ARCH_64R2 with EF_MIPS_ABI2 (0x20, the bit that tells n32 from o32), as gcc writes for n32. */
const MIPS_N32_FLAGS = 0x80000027;

/**
 * The ELF fields of a program each QEMU target runs, from the gABI and Linux's
 * `include/uapi/linux/elf-em.h`: class, byte order and e_machine (alpha's interim
 * 0x9026, microblaze's EM_MICROBLAZE_OLD 0xbaab, i486's EM_486 6), plus e_flags for
 * 32-bit MIPS.
 */
export const TARGET_FIELDS: Readonly<Record<TargetName, HeaderFields>> = {
  i386: { elfClass: 32, byteOrder: 'little', machine: 3 },
  i486: { elfClass: 32, byteOrder: 'little', machine: 6 },
  alpha: { elfClass: 64, byteOrder: 'little', machine: 0x9026 },
  arm: { elfClass: 32, byteOrder: 'little', machine: 40, flags: 0x05000400 },
  armeb: { elfClass: 32, byteOrder: 'big', machine: 40, flags: 0x05000400 },
  sparc: { elfClass: 32, byteOrder: 'big', machine: 2 },
  sparc32plus: { elfClass: 32, byteOrder: 'big', machine: 18, flags: 0x100 },
  sparc64: { elfClass: 64, byteOrder: 'big', machine: 43 },
  ppc: { elfClass: 32, byteOrder: 'big', machine: 20 },
  ppc64: { elfClass: 64, byteOrder: 'big', machine: 21, flags: 1 },
  ppc64le: { elfClass: 64, byteOrder: 'little', machine: 21, flags: 2 },
  m68k: { elfClass: 32, byteOrder: 'big', machine: 4 },
  mips: { elfClass: 32, byteOrder: 'big', machine: 8, flags: MIPS_O32_FLAGS },
  mipsel: { elfClass: 32, byteOrder: 'little', machine: 8, flags: MIPS_O32_FLAGS },
  mipsn32: { elfClass: 32, byteOrder: 'big', machine: 8, flags: MIPS_N32_FLAGS },
  mipsn32el: { elfClass: 32, byteOrder: 'little', machine: 8, flags: MIPS_N32_FLAGS },
  mips64: { elfClass: 64, byteOrder: 'big', machine: 8, flags: 0x80000007 },
  mips64el: { elfClass: 64, byteOrder: 'little', machine: 8, flags: 0x80000007 },
  sh4: { elfClass: 32, byteOrder: 'little', machine: 42 },
  sh4eb: { elfClass: 32, byteOrder: 'big', machine: 42 },
  s390x: { elfClass: 64, byteOrder: 'big', machine: 22 },
  aarch64: { elfClass: 64, byteOrder: 'little', machine: 183 },
  aarch64_be: { elfClass: 64, byteOrder: 'big', machine: 183 },
  hppa: { elfClass: 32, byteOrder: 'big', machine: 15 },
  riscv32: { elfClass: 32, byteOrder: 'little', machine: 243, flags: 5 },
  riscv64: { elfClass: 64, byteOrder: 'little', machine: 243, flags: 5 },
  xtensa: { elfClass: 32, byteOrder: 'little', machine: 94 },
  xtensaeb: { elfClass: 32, byteOrder: 'big', machine: 94 },
  microblaze: { elfClass: 32, byteOrder: 'big', machine: 0xbaab },
  microblazeel: { elfClass: 32, byteOrder: 'little', machine: 0xbaab },
  or1k: { elfClass: 32, byteOrder: 'big', machine: 92 },
  x86_64: { elfClass: 64, byteOrder: 'little', machine: 62 },
  hexagon: { elfClass: 32, byteOrder: 'little', machine: 164, flags: 0x73 },
  loongarch64: { elfClass: 64, byteOrder: 'little', machine: 258, flags: 0x43 },
};

/**
 * Build a 256-byte file start with a complete ELF header (e_version 1, program headers
 * right after the ELF header, none present) and zero bytes after it.
 */
export function buildElfHeader(fields: HeaderFields): Uint8Array {
  const bytes = new Uint8Array(256);
  const view = new DataView(bytes.buffer);
  const little = fields.byteOrder === 'little';
  const is64 = fields.elfClass === 64;

  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1, fields.osAbi ?? 0, 0]);
  view.setUint16(16, fields.type ?? 2, little);
  view.setUint16(18, fields.machine, little);
  view.setUint32(20, 1, little);
  if (is64) {
    view.setBigUint64(24, 0x400000n, little);
    view.setBigUint64(32, 64n, little);
    view.setBigUint64(40, 0n, little);
    view.setUint32(48, fields.flags ?? 0, little);
    view.setUint16(52, 64, little);
    view.setUint16(54, 56, little);
  } else {
    view.setUint32(24, 0x10000, little);
    view.setUint32(28, 52, little);
    view.setUint32(32, 0, little);
    view.setUint32(36, fields.flags ?? 0, little);
    view.setUint16(40, 52, little);
    view.setUint16(42, 32, little);
  }
  return bytes;
}
