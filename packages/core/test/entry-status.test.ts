import { createExtensionRecord, createMagicRecord, formatEntryStatus, parseEntryStatus, recordsEqual } from '@qus/core';
import { describe, expect, it } from 'vitest';

describe('parseEntryStatus', () => {
  it('reads the kernel text of an aarch64 entry', () => {
    const text = [
      'enabled',
      'interpreter /usr/bin/qemu-aarch64-static',
      'flags: OCF',
      'offset 0',
      'magic 7f454c460201010000000000000000000200b700',
      'mask ffffffffffffff00fffffffffffffffffeffffff',
      '',
    ].join('\n');

    const entry = parseEntryStatus('qemu-aarch64', text)._unsafeUnwrap();

    expect(entry.enabled).toBe(true);
    expect(entry.record).toMatchObject({
      kind: 'magic',
      name: 'qemu-aarch64',
      interpreter: '/usr/bin/qemu-aarch64-static',
      offset: 0,
      flags: { preserveArgv0: false, openBinary: true, credentials: true, fixBinary: true },
    });
  });

  it('reads an interpreter that contains newlines', () => {
    // What Linux 6.18 prints for ":qus:M::ABC::/x\n\ny:".
    const text = 'enabled\ninterpreter /x\n\ny\nflags: \noffset 0\nmagic 414243\n';

    const entry = parseEntryStatus('qus', text)._unsafeUnwrap();

    expect(entry.record.interpreter).toBe('/x\n\ny');
    expect(entry.record).toMatchObject({ kind: 'magic', magic: Uint8Array.from([0x41, 0x42, 0x43]), mask: null });
  });

  it('reads a disabled extension entry', () => {
    const text = 'disabled\ninterpreter /usr/bin/python3\nflags: \nextension .py\n';

    const entry = parseEntryStatus('python', text)._unsafeUnwrap();

    expect(entry.enabled).toBe(false);
    expect(
      recordsEqual(
        entry.record,
        createExtensionRecord({ name: 'python', extension: 'py', interpreter: '/usr/bin/python3' }),
      ),
    ).toBe(true);
  });

  it('rejects a first line that is no state', () => {
    const parsed = parseEntryStatus('qus', 'maybe\ninterpreter /x\nflags: \n');

    expect(parsed._unsafeUnwrapErr()).toEqual({
      kind: 'invalid-entry-status',
      name: 'qus',
      line: 1,
      text: 'maybe',
      reason: 'the first line must be "enabled" or "disabled"',
    });
  });

  it('rejects upper-case hex', () => {
    const parsed = parseEntryStatus('qus', 'enabled\ninterpreter /x\nflags: \noffset 0\nmagic 7F\n');

    expect(parsed._unsafeUnwrapErr()).toMatchObject({ line: 5, reason: 'the magic must be lower-case hex bytes' });
  });
});

describe('formatEntryStatus', () => {
  it('prints C as OC in kernel order', () => {
    const record = createMagicRecord({ name: 'q', magic: Uint8Array.from([1]), interpreter: '/x', flags: 'FCP' });

    const text = formatEntryStatus({ record, enabled: true });

    expect(text).toBe('enabled\ninterpreter /x\nflags: POCF\noffset 0\nmagic 01\n');
  });
});
