import { createMagicRecord, kernelFeatures, type MagicRecord, parseKernelVersion, register } from '@qus/core';
import { describe, expect, it } from 'vitest';
import { checkRecord } from '../src/check-record.js';
import { describeProcfsError } from '../src/messages.js';

function features(release: string) {
  return kernelFeatures(parseKernelVersion(release)._unsafeUnwrap());
}

function aarch64(flags: string): MagicRecord {
  return register(['aarch64'], { flags, validation: { strict: false } })._unsafeUnwrap()[0] as MagicRecord;
}

describe('checkRecord', () => {
  it('accepts F on Linux 4.8', () => {
    const result = checkRecord(aarch64('F'), features('4.8.0'));

    expect(result.isOk()).toBe(true);
  });

  it('rejects F before Linux 4.8', () => {
    const result = checkRecord(aarch64('F'), features('4.7.10'));

    expect(result._unsafeUnwrapErr()).toEqual({
      kind: 'kernel-feature',
      name: 'qemu-aarch64',
      feature: 'fix-binary',
      release: '4.7.10',
    });
    expect(describeProcfsError(result._unsafeUnwrapErr())).toBe(
      'entry "qemu-aarch64" uses flag F, which needs Linux 4.8 or later (this kernel is "4.7.10"); drop F',
    );
  });

  it('rejects P before Linux 5.12', () => {
    const result = checkRecord(aarch64('P'), features('5.11.22'));

    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'kernel-feature', feature: 'preserve-argv0' });
    expect(describeProcfsError(result._unsafeUnwrapErr())).toBe(
      'entry "qemu-aarch64" uses flag P, which QEMU detects only on Linux 5.12 or later (this kernel is "5.11.22"), so the guest would get an extra argument; drop P, use a Debian "-binfmt-P" interpreter, or pass kernelRelease "5.12" if this kernel has the AT_FLAGS backport',
    );
  });

  it('accepts P before Linux 5.12 with a -binfmt-P interpreter', () => {
    const record = register(['aarch64'], { layout: { kind: 'debian-binfmt-p' } })._unsafeUnwrap()[0];

    const result = checkRecord(record as MagicRecord, features('5.10.0'));

    expect(result.isOk()).toBe(true);
  });

  it('accepts P on Linux 5.12', () => {
    const result = checkRecord(aarch64('P'), features('5.12.0'));

    expect(result.isOk()).toBe(true);
  });

  it('rejects a magic past byte 128 before Linux 5.1 as a kernel feature', () => {
    const record = createMagicRecord({
      name: 'late',
      offset: 120,
      magic: new Uint8Array(16).fill(1),
      interpreter: '/bin/x',
    });

    const old = checkRecord(record, features('5.0.21'));
    const current = checkRecord(record, features('5.1.0'));

    expect(old._unsafeUnwrapErr()).toEqual({
      kind: 'kernel-feature',
      name: 'late',
      feature: 'buffer-size',
      release: '5.0.21',
    });
    expect(current.isOk()).toBe(true);
  });

  it('rejects a magic past byte 256 as invalid on any kernel', () => {
    const record = createMagicRecord({
      name: 'late',
      offset: 250,
      magic: new Uint8Array(16).fill(1),
      interpreter: '/bin/x',
    });

    const result = checkRecord(record, features('6.18.0'));

    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-record', rejectedBy: 'validation' });
  });

  it('rejects a relative interpreter, which the kernel accepts', () => {
    const record = createMagicRecord({ name: 'rel', magic: Uint8Array.of(1, 2), interpreter: 'bin/qemu' });

    const result = checkRecord(record, features('6.18.0'));

    expect(describeProcfsError(result._unsafeUnwrapErr())).toBe(
      'record "rel" is invalid, nothing was written:\n  - interpreter "bin/qemu" is a relative path, which the kernel resolves against each caller\'s working directory; give an absolute path',
    );
  });

  it('rejects C with an interpreter writable by others', () => {
    const record = createMagicRecord({
      name: 'suid',
      magic: Uint8Array.of(1, 2),
      interpreter: '/opt/qemu',
      flags: 'C',
    });

    const result = checkRecord(record, features('6.18.0'), { uid: 0, mode: 0o100777 });

    expect(result._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-record',
      issues: [{ rule: 'credentials-interpreter-unsafe' }],
    });
  });
});
