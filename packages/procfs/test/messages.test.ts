import { createExtensionRecord, createMagicRecord } from '@qus/core';
import { describe, expect, it } from 'vitest';
import { describeProcfsError } from '../src/messages.js';

describe('describeProcfsError', () => {
  it('tells how to mount a missing instance', () => {
    const message = describeProcfsError({ kind: 'not-mounted', root: '/proc/sys/fs/binfmt_misc' });

    expect(message).toBe(
      'binfmt_misc is not mounted at /proc/sys/fs/binfmt_misc: pass mount: true, or as root run: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc',
    );
  });

  it('tells how to get binfmt_misc into the kernel', () => {
    const message = describeProcfsError({ kind: 'no-binfmt-support', root: '/b' });

    expect(message).toBe(
      'the kernel has no binfmt_misc filesystem (it is not in /proc/filesystems), so nothing can be mounted at /b: load the module with "modprobe binfmt_misc", or use a kernel built with CONFIG_BINFMT_MISC',
    );
  });

  it('shows both records of a name clash', () => {
    const existing = createExtensionRecord({ name: 'python3', extension: 'py', interpreter: '/usr/bin/python3.11' });
    const requested = createExtensionRecord({ name: 'python3', extension: 'py', interpreter: '/usr/bin/python3.12' });

    const message = describeProcfsError({
      kind: 'entry-exists',
      name: 'python3',
      existing: { record: existing, enabled: false },
      requested,
    });

    expect(message).toBe(
      [
        'entry "python3" already exists with different contents:',
        '  existing:  :python3:E::py::/usr/bin/python3.11: (disabled)',
        '  requested: :python3:E::py::/usr/bin/python3.12:',
        'pass replace: true to replace it, or remove it first',
      ].join('\n'),
    );
  });

  it('shows a clashing record with no register string as status lines', () => {
    const existing = createMagicRecord({ name: 'odd', magic: Uint8Array.of(1), interpreter: '/bin/a:b' });
    const requested = createMagicRecord({ name: 'odd', magic: Uint8Array.of(1), interpreter: '/bin/c' });

    const message = describeProcfsError({
      kind: 'entry-exists',
      name: 'odd',
      existing: { record: existing, enabled: true },
      requested,
    });

    expect(message).toContain('  existing:  enabled; interpreter /bin/a:b; flags: ; offset 0; magic 01\n');
  });

  it('describes the remaining kinds', () => {
    const messages = [
      describeProcfsError({ kind: 'interpreter-not-found', name: 'qemu-arm', interpreter: '/usr/bin/qemu-arm-static' }),
      describeProcfsError({ kind: 'interpreter-not-executable', name: 'qemu-arm', interpreter: '/usr/bin' }),
      describeProcfsError({ kind: 'operation-not-permitted', path: '/b/register', name: 'qemu-arm' }),
      describeProcfsError({ kind: 'no-device', path: '/b/status' }),
      describeProcfsError({ kind: 'mount-failed', root: '/nowhere', detail: 'mount point does not exist.' }),
      describeProcfsError({ kind: 'invalid-kernel-release', release: 'unknown' }),
      describeProcfsError({ kind: 'confirmation-required', root: '/b' }),
      describeProcfsError({
        kind: 'entry-exists',
        name: 'gone',
        existing: null,
        requested: createMagicRecord({ name: 'gone', magic: Uint8Array.of(1), interpreter: '/bin/x' }),
      }),
      describeProcfsError({
        kind: 'invalid-entry',
        path: '/b/odd',
        error: {
          kind: 'invalid-entry-status',
          name: 'odd',
          line: 1,
          text: 'maybe',
          reason: 'the first line must be "enabled" or "disabled"',
        },
      }),
    ];

    expect(messages).toEqual([
      'interpreter /usr/bin/qemu-arm-static of entry "qemu-arm" was not found (ENOENT); with flag F the kernel opens it when the entry is registered: install the emulator at that path or fix the path',
      'interpreter /usr/bin of entry "qemu-arm" cannot be executed (EACCES): it is a directory, lacks execute permission or is on a noexec mount; point the entry to an executable file',
      'writing to /b/register for entry "qemu-arm" was not permitted (EPERM); run as root in the user namespace that mounted this instance, or check the security module\'s log',
      '/b/status returned ENODEV, so the binfmt_misc instance went away while in use; mount it again and retry',
      'mounting binfmt_misc at /nowhere failed: mount point does not exist.; check that /nowhere is an existing directory',
      'kernel release "unknown" does not start with MAJOR.MINOR; pass kernelRelease as "uname -r" prints it',
      "removing every entry at /b, other tools' entries included, needs removeAll({ confirm: true }); to remove some entries only, use removeMatching",
      'entry "gone" already exists (EEXIST) but vanished before it could be read; apply the records again',
      '/b/odd does not follow the kernel\'s entry layout: entry "odd", line 1 ("maybe"): the first line must be "enabled" or "disabled"; report the kernel version and the file\'s text',
    ]);
  });
});
