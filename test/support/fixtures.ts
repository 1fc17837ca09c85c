import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The foreign Debian architectures whose busybox-static the fixture script unpacks. */
export const DEBIAN_ARCHITECTURES = [
  'arm64',
  'armhf',
  'armel',
  'i386',
  'mips64el',
  'mipsel',
  'ppc64el',
  's390x',
] as const;
export type DebianArchitecture = (typeof DEBIAN_ARCHITECTURES)[number];

/** Target and `busybox uname -m` output per architecture, seen with Debian bookworm's QEMU 7.2 on x86-64. */
export const EXPECTED_UNAME: Readonly<Record<DebianArchitecture, { target: string; uname: string }>> = {
  arm64: { target: 'aarch64', uname: 'aarch64' },
  armhf: { target: 'arm', uname: 'armv7l' },
  armel: { target: 'arm', uname: 'armv7l' },
  i386: { target: 'i386', uname: 'i686' },
  mips64el: { target: 'mips64el', uname: 'mips64' },
  mipsel: { target: 'mipsel', uname: 'mips' },
  ppc64el: { target: 'ppc64le', uname: 'ppc64le' },
  s390x: { target: 's390x', uname: 's390x' },
};

/** The cache folder `scripts/fetch-fixtures.sh` fills. */
export function fixturesDir(): string {
  return process.env['QUS_FIXTURES'] ?? '/tmp/qus-fixtures';
}

export function fixturesPresent(): boolean {
  return existsSync(join(fixturesDir(), '.complete-v1'));
}

export function busyboxPath(architecture: DebianArchitecture): string {
  return join(fixturesDir(), 'busybox', architecture, 'bin', 'busybox');
}

/** Path of an unpacked Debian `qemu-<cpu>-static`. */
export function qemuStaticPath(cpu: string): string {
  return join(fixturesDir(), 'qemu', 'usr', 'bin', `qemu-${cpu}-static`);
}

/** Folder of the unpacked emulators, for a `directory` interpreter layout. */
export function qemuStaticDir(): string {
  return join(fixturesDir(), 'qemu', 'usr', 'bin');
}

/** Path of the unpacked `update-binfmts`. */
export function updateBinfmtsPath(): string {
  return join(fixturesDir(), 'binfmt-support', 'usr', 'sbin', 'update-binfmts');
}
