import { createExtensionRecord, createMagicRecord, type MagicRecord, register } from '@qus/core';
import { describe, expect, it } from 'vitest';
import { hostHeaders } from '../src/internal/host-header.js';
import { findWarnings } from '../src/warnings.js';

const records = register(['aarch64', 'x86_64'])._unsafeUnwrap();
const aarch64 = records[0] as MagicRecord;
const x86_64 = records[1] as MagicRecord;

describe('findWarnings', () => {
  it('warns when a record takes over files of an entry with another interpreter', () => {
    const box64 = createMagicRecord({ ...aarch64, name: 'box64', interpreter: '/usr/local/bin/box64' });

    const warnings = findWarnings([aarch64], [{ record: box64, enabled: true }], [], 'x86_64');

    expect(warnings).toEqual([
      {
        kind: 'overlap',
        name: 'qemu-aarch64',
        message:
          'entry "qemu-aarch64" (/usr/bin/qemu-aarch64-static) matches files that entry "box64" (/usr/local/bin/box64) also matches; the newest entry wins, so "qemu-aarch64" will run them',
      },
    ]);
  });

  it('stays quiet for an entry with the same interpreter or a disjoint magic', () => {
    const twin = createMagicRecord({ ...aarch64, name: 'aarch64-twin' });
    const python = createExtensionRecord({ name: 'python3', extension: 'py', interpreter: '/usr/bin/python3' });

    const warnings = findWarnings(
      [aarch64],
      [twin, python, x86_64].map((record) => ({ record, enabled: true })),
      [],
      'x86_64',
    );

    expect(warnings).toEqual([]);
  });

  it('skips the entry a record of the same name replaces', () => {
    const old = createMagicRecord({ ...aarch64, interpreter: '/opt/old' });

    const warnings = findWarnings([aarch64], [{ record: old, enabled: true }], [], 'x86_64');

    expect(warnings).toEqual([]);
  });

  it('warns about a record that matches the host header', async () => {
    const headers = await hostHeaders('amd64');

    const warnings = findWarnings([aarch64, x86_64], [], headers, 'amd64');

    expect(warnings.map((warning) => [warning.kind, warning.name])).toEqual([['native-target', 'qemu-x86_64']]);
  });

  it('finds the native record from the real Node binary', async () => {
    const headers = await hostHeaders('no-such-cpu', process.execPath);
    const native = register([process.arch === 'arm64' ? 'aarch64' : 'x86_64'])._unsafeUnwrap()[0] as MagicRecord;

    const warnings = findWarnings([native], [], headers, 'this');

    expect(warnings.map((warning) => warning.kind)).toEqual(['native-target']);
  });
});
