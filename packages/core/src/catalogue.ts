/**
 * The QEMU linux-user targets that `scripts/qemu-binfmt-conf.sh` registers.
 *
 * The table follows upstream QEMU 10.0 (the script after the March 2025
 * "binfmt: Shuffle things around", "Normalize host CPU architecture" and
 * "Add --ignore-family option" series; those patches left the table lines
 * unchanged). Magic and mask are kept as the script's literal `\xHH` text, which
 * is what the script writes to the kernel; {@link Target.magic} and
 * {@link Target.mask} hold the decoded bytes.
 *
 * @module
 */
import { decodeEscapes } from './internal/escape.js';

/** The version of QEMU's `scripts/qemu-binfmt-conf.sh` whose table {@link targets} follows. */
export const QEMU_TABLE_VERSION = '10.0';

/** The names every QEMU linux-user target of {@link targets} is known by. */
export type TargetName =
  | 'i386'
  | 'i486'
  | 'alpha'
  | 'arm'
  | 'armeb'
  | 'sparc'
  | 'sparc32plus'
  | 'sparc64'
  | 'ppc'
  | 'ppc64'
  | 'ppc64le'
  | 'm68k'
  | 'mips'
  | 'mipsel'
  | 'mipsn32'
  | 'mipsn32el'
  | 'mips64'
  | 'mips64el'
  | 'sh4'
  | 'sh4eb'
  | 's390x'
  | 'aarch64'
  | 'aarch64_be'
  | 'hppa'
  | 'riscv32'
  | 'riscv64'
  | 'xtensa'
  | 'xtensaeb'
  | 'microblaze'
  | 'microblazeel'
  | 'or1k'
  | 'x86_64'
  | 'hexagon'
  | 'loongarch64';

/** A QEMU family, as `qemu-binfmt-conf.sh` uses it to skip targets the host runs natively. */
export type TargetFamily =
  | 'i386'
  | 'alpha'
  | 'arm'
  | 'armeb'
  | 'sparc'
  | 'ppc'
  | 'ppcle'
  | 'm68k'
  | 'mips'
  | 'sh4'
  | 's390x'
  | 'hppa'
  | 'riscv'
  | 'xtensa'
  | 'xtensaeb'
  | 'microblaze'
  | 'microblazeel'
  | 'or1k'
  | 'hexagon'
  | 'loongarch';

/** One QEMU linux-user target: its binfmt_misc magic and mask, and the names users type for it. */
export interface Target {
  /** QEMU's CPU name, also the `<cpu>` in the entry name `qemu-<cpu>`. */
  readonly name: TargetName;
  /** QEMU's family for the host-family skip rule. */
  readonly family: TargetFamily;
  /** Base name of the emulator binary: `qemu-<cpu>`, except that i486 runs `qemu-i386`. */
  readonly interpreterName: string;
  /** The magic exactly as `qemu-binfmt-conf.sh` spells it, with `\xHH` escapes. */
  readonly magicText: string;
  /** The mask exactly as `qemu-binfmt-conf.sh` spells it. */
  readonly maskText: string;
  /** Decoded magic bytes, compared at offset 0. */
  readonly magic: Uint8Array;
  /** Decoded mask bytes, as long as {@link Target.magic}. */
  readonly mask: Uint8Array;
  /** Debian architecture names (`dpkg --print-architecture`) whose binaries this target runs. */
  readonly debianArchitectures: readonly string[];
  /** OCI/Docker platforms (`linux/arm/v7`) whose binaries this target runs. */
  readonly ociPlatforms: readonly string[];
  /** `uname -m` values of machines whose native binaries this target runs. */
  readonly unameMachines: readonly string[];
}

type TargetRow = Omit<Target, 'magic' | 'mask'>;

const rows: readonly TargetRow[] = [
  {
    name: 'i386',
    family: 'i386',
    interpreterName: 'qemu-i386',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['i386'],
    ociPlatforms: ['linux/386'],
    unameMachines: ['i386', 'i586', 'i686', 'x86'],
  },
  {
    name: 'i486',
    family: 'i386',
    interpreterName: 'qemu-i386',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x06\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: [],
  },
  {
    name: 'alpha',
    family: 'alpha',
    interpreterName: 'qemu-alpha',
    magicText: String.raw`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x26\x90`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['alpha'],
    ociPlatforms: [],
    unameMachines: ['alpha'],
  },
  {
    name: 'arm',
    family: 'arm',
    interpreterName: 'qemu-arm',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['armhf', 'armel'],
    ociPlatforms: ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7'],
    unameMachines: ['armv4l', 'armv4tl', 'armv5l', 'armv5tel', 'armv5tejl', 'armv6l', 'armv7l', 'armv8l'],
  },
  {
    name: 'armeb',
    family: 'armeb',
    interpreterName: 'qemu-armeb',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: ['armv5b', 'armv6b', 'armv7b'],
  },
  {
    name: 'sparc',
    family: 'sparc',
    interpreterName: 'qemu-sparc',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x02`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: ['sparc'],
    ociPlatforms: [],
    unameMachines: ['sparc'],
  },
  {
    name: 'sparc32plus',
    family: 'sparc',
    interpreterName: 'qemu-sparc32plus',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x12`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: [],
  },
  {
    name: 'sparc64',
    family: 'sparc',
    interpreterName: 'qemu-sparc64',
    magicText: String.raw`\x7fELF\x02\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x2b`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: ['sparc64'],
    ociPlatforms: [],
    unameMachines: ['sparc64'],
  },
  {
    name: 'ppc',
    family: 'ppc',
    interpreterName: 'qemu-ppc',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x14`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: ['powerpc'],
    ociPlatforms: [],
    unameMachines: ['ppc', 'powerpc'],
  },
  {
    name: 'ppc64',
    family: 'ppc',
    interpreterName: 'qemu-ppc64',
    magicText: String.raw`\x7fELF\x02\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x15`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: ['ppc64'],
    ociPlatforms: ['linux/ppc64'],
    unameMachines: ['ppc64'],
  },
  {
    name: 'ppc64le',
    family: 'ppcle',
    interpreterName: 'qemu-ppc64le',
    magicText: String.raw`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x15\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\x00`,
    debianArchitectures: ['ppc64el'],
    ociPlatforms: ['linux/ppc64le'],
    unameMachines: ['ppc64le'],
  },
  {
    name: 'm68k',
    family: 'm68k',
    interpreterName: 'qemu-m68k',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x04`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: ['m68k'],
    ociPlatforms: [],
    unameMachines: ['m68k'],
  },
  {
    name: 'mips',
    family: 'mips',
    interpreterName: 'qemu-mips',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x08\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20`,
    debianArchitectures: ['mips'],
    ociPlatforms: ['linux/mips'],
    unameMachines: ['mips'],
  },
  {
    name: 'mipsel',
    family: 'mips',
    interpreterName: 'qemu-mipsel',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x08\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20\x00\x00\x00`,
    debianArchitectures: ['mipsel'],
    ociPlatforms: ['linux/mipsle'],
    unameMachines: [],
  },
  {
    name: 'mipsn32',
    family: 'mips',
    interpreterName: 'qemu-mipsn32',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x08\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20`,
    debianArchitectures: ['mipsn32'],
    ociPlatforms: [],
    unameMachines: [],
  },
  {
    name: 'mipsn32el',
    family: 'mips',
    interpreterName: 'qemu-mipsn32el',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x08\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20\x00\x00\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20\x00\x00\x00`,
    debianArchitectures: ['mipsn32el'],
    ociPlatforms: [],
    unameMachines: [],
  },
  {
    name: 'mips64',
    family: 'mips',
    interpreterName: 'qemu-mips64',
    magicText: String.raw`\x7fELF\x02\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x08`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: ['mips64'],
    ociPlatforms: ['linux/mips64'],
    unameMachines: ['mips64'],
  },
  {
    name: 'mips64el',
    family: 'mips',
    interpreterName: 'qemu-mips64el',
    magicText: String.raw`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x08\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['mips64el'],
    ociPlatforms: ['linux/mips64le'],
    unameMachines: [],
  },
  {
    name: 'sh4',
    family: 'sh4',
    interpreterName: 'qemu-sh4',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x2a\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['sh4'],
    ociPlatforms: [],
    unameMachines: ['sh4'],
  },
  {
    name: 'sh4eb',
    family: 'sh4',
    interpreterName: 'qemu-sh4eb',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x2a`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: ['sh4eb'],
  },
  {
    name: 's390x',
    family: 's390x',
    interpreterName: 'qemu-s390x',
    magicText: String.raw`\x7fELF\x02\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x16`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: ['s390x'],
    ociPlatforms: ['linux/s390x'],
    unameMachines: ['s390x'],
  },
  {
    name: 'aarch64',
    family: 'arm',
    interpreterName: 'qemu-aarch64',
    magicText: String.raw`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['arm64'],
    ociPlatforms: ['linux/arm64', 'linux/arm64/v8'],
    unameMachines: ['aarch64', 'arm64'],
  },
  {
    name: 'aarch64_be',
    family: 'armeb',
    interpreterName: 'qemu-aarch64_be',
    magicText: String.raw`\x7fELF\x02\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: ['aarch64_be'],
  },
  {
    name: 'hppa',
    family: 'hppa',
    interpreterName: 'qemu-hppa',
    magicText: String.raw`\x7f\x45\x4c\x46\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x0f`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: ['hppa'],
    ociPlatforms: [],
    unameMachines: ['parisc'],
  },
  {
    name: 'riscv32',
    family: 'riscv',
    interpreterName: 'qemu-riscv32',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xf3\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: ['riscv32'],
  },
  {
    name: 'riscv64',
    family: 'riscv',
    interpreterName: 'qemu-riscv64',
    magicText: String.raw`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xf3\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['riscv64'],
    ociPlatforms: ['linux/riscv64'],
    unameMachines: ['riscv64'],
  },
  {
    name: 'xtensa',
    family: 'xtensa',
    interpreterName: 'qemu-xtensa',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x5e\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: ['xtensa'],
  },
  {
    name: 'xtensaeb',
    family: 'xtensaeb',
    interpreterName: 'qemu-xtensaeb',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x5e`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: [],
  },
  {
    name: 'microblaze',
    family: 'microblaze',
    interpreterName: 'qemu-microblaze',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xba\xab`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: ['microblaze'],
  },
  {
    name: 'microblazeel',
    family: 'microblazeel',
    interpreterName: 'qemu-microblazeel',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xab\xba`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: [],
  },
  {
    name: 'or1k',
    family: 'or1k',
    interpreterName: 'qemu-or1k',
    magicText: String.raw`\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x5c`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: ['openrisc'],
  },
  {
    name: 'x86_64',
    family: 'i386',
    interpreterName: 'qemu-x86_64',
    magicText: String.raw`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['amd64'],
    ociPlatforms: ['linux/amd64'],
    unameMachines: ['x86_64'],
  },
  {
    name: 'hexagon',
    family: 'hexagon',
    interpreterName: 'qemu-hexagon',
    magicText: String.raw`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xa4\x00`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: [],
    ociPlatforms: [],
    unameMachines: ['hexagon'],
  },
  {
    name: 'loongarch64',
    family: 'loongarch',
    interpreterName: 'qemu-loongarch64',
    magicText: String.raw`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x02\x01`,
    maskText: String.raw`\xff\xff\xff\xff\xff\xff\xff\xfc\x00\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`,
    debianArchitectures: ['loong64'],
    ociPlatforms: ['linux/loong64'],
    unameMachines: ['loongarch64'],
  },
];

function toTarget(row: TargetRow): Target {
  return Object.freeze({
    ...row,
    magic: decodeEscapes(row.magicText),
    mask: decodeEscapes(row.maskText),
  });
}

/** Every QEMU linux-user target, in the order `qemu-binfmt-conf.sh` lists them. */
export const targets: readonly Target[] = Object.freeze(rows.map(toTarget));

/** Look up a target by its QEMU name only; see `resolveTarget` for every other name. */
export function targetByName(name: TargetName): Target {
  const target = targets.find((candidate) => candidate.name === name);
  if (target === undefined) {
    throw new TypeError(`targetByName: "${name}" is not a QEMU target name`);
  }
  return target;
}
