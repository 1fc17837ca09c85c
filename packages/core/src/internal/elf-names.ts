import elfy from 'elfy';

/**
 * e_machine names that elfy 1.0.0 lacks or spells unlike the kernel's `EM_*` constants
 * (include/uapi/linux/elf-em.h).
 */
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  2: 'sparc',
  3: 'i386',
  4: 'm68k',
  6: 'i486',
  8: 'mips',
  15: 'parisc',
  18: 'sparc32plus',
  20: 'ppc',
  21: 'ppc64',
  22: 's390',
  40: 'arm',
  41: 'alpha',
  42: 'sh',
  43: 'sparcv9',
  62: 'x86_64',
  92: 'openrisc',
  94: 'xtensa',
  164: 'hexagon',
  183: 'aarch64',
  189: 'microblaze',
  243: 'riscv',
  258: 'loongarch',
  // Linux's interim EM_ALPHA, which QEMU's alpha entry matches instead of the gABI value 41.
  36902: 'alpha',
  // EM_MICROBLAZE_OLD, which QEMU's microblaze entries match.
  47787: 'microblaze',
};

const TYPE_NAMES: Readonly<Record<number, string>> = { 0: 'none', 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core' };

/** @internal */
export function elfMachineName(machine: number): string {
  return MACHINE_NAMES[machine] ?? elfy.constants.machine[machine] ?? `unknown-${machine}`;
}

/** @internal */
export function elfTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `unknown-${type}`;
}
