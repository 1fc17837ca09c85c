import { describe, expect, it } from 'vitest';
import { describeExecFailure } from '../../packages/cli/src/container-exec-messages.js';
import { withArticle } from '../../packages/cli/src/internal/article.js';
import { describeProcfsFailure } from '../../packages/cli/src/procfs-backend.js';

// These errors need an old kernel or a dynamically linked foreign program, which the
// machine running the tests does not have, so their CLI wording is checked here directly.
describe('describeProcfsFailure', () => {
  it('names --persistent for flag F on an old kernel', () => {
    const text = describeProcfsFailure(
      { kind: 'kernel-feature', name: 'qemu-arm', feature: 'fix-binary', release: '4.4.0' },
      true,
    );

    expect(text).toBe(
      'entry "qemu-arm" uses flag F, which needs Linux 4.8 or later (this kernel is "4.4.0"); run again with --persistent no',
    );
  });

  it('names --preserve-argv0 for flag P on an old kernel', () => {
    const text = describeProcfsFailure(
      { kind: 'kernel-feature', name: 'qemu-arm', feature: 'preserve-argv0', release: '5.10.0' },
      true,
    );

    expect(text).toBe(
      `entry "qemu-arm" uses flag P, which QEMU detects only on Linux 5.12 or later (this kernel is "5.10.0"), so the guest would get an extra argument; run again with --preserve-argv0 no, or install Debian's qemu-user-binfmt emulators (/usr/libexec/qemu-binfmt/<cpu>-binfmt-P), which handle P on any kernel`,
    );
  });

  it('names no library option for an unreadable release', () => {
    const text = describeProcfsFailure({ kind: 'invalid-kernel-release', release: 'custom' }, true);

    expect(text).toBe(
      'kernel release "custom" (from uname -r) does not start with MAJOR.MINOR, so qus cannot tell which flags this kernel supports; please report it with the output of "uname -r"',
    );
  });

  it('names --mount only where the command has it', () => {
    const error = { kind: 'not-mounted', root: '/tmp' } as const;

    expect(describeProcfsFailure(error, true)).toBe(
      'binfmt_misc is not mounted at /tmp: run with --mount, or as root: mount -t binfmt_misc binfmt_misc /tmp',
    );
    expect(describeProcfsFailure(error, false)).toBe(
      'binfmt_misc is not mounted at /tmp: as root: mount -t binfmt_misc binfmt_misc /tmp, or run "qus register --mount --root /tmp" to mount and register the emulators this host needs',
    );
  });

  it('leaves out --root for the default mount point', () => {
    const error = { kind: 'not-mounted', root: '/proc/sys/fs/binfmt_misc' } as const;

    expect(describeProcfsFailure(error, false)).toBe(
      'binfmt_misc is not mounted at /proc/sys/fs/binfmt_misc: as root: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc, or run "qus register --mount" to mount and register the emulators this host needs',
    );
  });

  it('asks to create a missing mount point first', () => {
    const error = { kind: 'not-mounted', root: '/nonexistent/binfmt' } as const;

    expect(describeProcfsFailure(error, true)).toBe(
      'binfmt_misc is not mounted at /nonexistent/binfmt: /nonexistent/binfmt does not exist, so create it first (mkdir -p /nonexistent/binfmt), then run with --mount, or as root: mount -t binfmt_misc binfmt_misc /nonexistent/binfmt',
    );
    expect(describeProcfsFailure(error, false)).toBe(
      'binfmt_misc is not mounted at /nonexistent/binfmt: /nonexistent/binfmt does not exist, so create it first (mkdir -p /nonexistent/binfmt), then as root: mount -t binfmt_misc binfmt_misc /nonexistent/binfmt, or run "qus register --mount --root /nonexistent/binfmt" to mount and register the emulators this host needs',
    );
  });
});

describe('describeExecFailure', () => {
  it('names --sysroot for a missing loader', () => {
    const text = describeExecFailure({ kind: 'sysroot-missing', path: './ls', loader: '/lib/ld-linux-aarch64.so.1' });

    expect(text).toBe(
      'cannot run ./ls: it is dynamically linked and its loader /lib/ld-linux-aarch64.so.1 is not on this host; pass --sysroot DIR (the root folder of a guest system that contains /lib/ld-linux-aarch64.so.1) or set QEMU_LD_PREFIX',
    );
  });

  it('names --sysroot for a sysroot that is not a folder', () => {
    const text = describeExecFailure({ kind: 'sysroot-not-found', sysroot: '/srv/none' });

    expect(text).toBe(
      '--sysroot "/srv/none" is not a folder; pass the root folder of a guest system, such as one made by debootstrap',
    );
  });

  it('names --sysroot for a sysroot without the loader', () => {
    const text = describeExecFailure({
      kind: 'loader-missing',
      path: './ls',
      loader: '/lib/ld-linux-aarch64.so.1',
      sysroot: '/srv/arm64',
    });

    expect(text).toBe(
      "cannot run ./ls: its loader /lib/ld-linux-aarch64.so.1 is not in the sysroot /srv/arm64; install the guest's libc there or pass another --sysroot DIR",
    );
  });

  it('names --target for an unknown host', () => {
    const text = describeExecFailure({ kind: 'unknown-host', machine: 'vax' });

    expect(text).toBe('host machine "vax" is not a QEMU CPU; name the targets with --target');
  });
});

describe('withArticle', () => {
  it.each([
    ['aarch64', 'an aarch64'],
    ['arm', 'an arm'],
    ['i386', 'an i386'],
    ['or1k', 'an or1k'],
    ['x86_64', 'an x86_64'],
    ['s390x', 'an s390x'],
    ['sh4', 'an sh4'],
    ['m68k', 'an m68k'],
    ['hppa', 'an hppa'],
    ['xtensa', 'an xtensa'],
    ['mips', 'a mips'],
    ['riscv64', 'a riscv64'],
    ['ppc64le', 'a ppc64le'],
    ['sparc', 'a sparc'],
    ['loongarch64', 'a loongarch64'],
  ])('writes %s as "%s"', (name, expected) => {
    expect(withArticle(name)).toBe(expected);
  });
});
