import { createMagicRecord, formatRegisterString, kernelFeatures, parseKernelVersion } from '@qus/core';
import { describe, expect, it } from 'vitest';
import { commandError, registerError } from '../src/internal/errno.js';
import { describeProcfsError } from '../src/messages.js';

const features = kernelFeatures(parseKernelVersion('6.18.0')._unsafeUnwrap());
const record = createMagicRecord({
  name: 'qemu-test',
  magic: Uint8Array.of(0x7f, 0x45),
  interpreter: '/usr/bin/qemu-test-static',
  flags: 'F',
});
const text = `${formatRegisterString(record)._unsafeUnwrap()}\n`;
const path = '/mnt/binfmt/register';

function writeFailure(code: string) {
  return { stage: 'write' as const, code, message: `${code}: failed` };
}

describe('registerError', () => {
  it('maps each errno of a register write to its kind', () => {
    const kinds = ['ENOENT', 'EACCES', 'EPERM', 'ENODEV', 'ENAMETOOLONG', 'EINVAL', 'ETXTBSY'].map(
      (code) => registerError(writeFailure(code), record, path, text, features).kind,
    );

    expect(kinds).toEqual([
      'interpreter-not-found',
      'interpreter-not-executable',
      'operation-not-permitted',
      'no-device',
      'name-too-long',
      'invalid-record',
      'system-error',
    ]);
  });

  it('maps EACCES without F to a permission error', () => {
    const plain = createMagicRecord({ ...record, flags: '' });

    const error = registerError(writeFailure('EACCES'), plain, path, text, features);

    expect(error).toEqual({ kind: 'permission', path, operation: 'write', code: 'EACCES' });
  });

  it('maps EACCES on open to a permission error', () => {
    const error = registerError({ stage: 'open', code: 'EACCES', message: '' }, record, path, text, features);

    expect(describeProcfsError(error)).toBe(
      'permission denied (EACCES) to open /mnt/binfmt/register: run as root, or inside a user namespace with its own binfmt_misc instance (Linux 6.7 or later: unshare --user --map-root-user --mount, then mount binfmt_misc there)',
    );
  });

  it('names the rule behind a kernel EINVAL', () => {
    const tooLate = createMagicRecord({ ...record, offset: 255 });

    const error = registerError(writeFailure('EINVAL'), tooLate, path, text, features);

    expect(describeProcfsError(error)).toBe(
      'the kernel rejected record "qemu-test" (EINVAL):\n  - offset 255 + 2 bytes ends past the kernel\'s 256-byte buffer; lower the offset or shorten the magic (the kernel returns EINVAL)',
    );
  });

  it('says so when no rule explains a kernel EINVAL', () => {
    const error = registerError(writeFailure('EINVAL'), record, path, text, features);

    expect(describeProcfsError(error)).toBe(
      'the kernel rejected record "qemu-test" (EINVAL) for a reason no rule of this library explains; compare its register string with Documentation/admin-guide/binfmt-misc.rst of this kernel',
    );
  });

  it('reports a short write with both byte counts', () => {
    const error = registerError({ stage: 'short-write', written: 10, expected: 90 }, record, path, text, features);

    expect(describeProcfsError(error)).toBe(
      'the kernel took 10 of 90 bytes written to /mnt/binfmt/register, so the command was not applied as one write; retry',
    );
  });

  it('gives the byte length of a name that is too long', () => {
    const long = createMagicRecord({ ...record, name: 'é'.repeat(200) });

    const error = registerError(writeFailure('ENAMETOOLONG'), long, path, text, features);

    expect(error).toMatchObject({ kind: 'name-too-long', length: 400 });
    expect(describeProcfsError(error)).toBe(
      `entry name "${'é'.repeat(40)}…" is 400 bytes, longer than the kernel's limit of 255 (ENAMETOOLONG); shorten it`,
    );
  });
});

describe('commandError', () => {
  it('maps EPERM on write and on open apart', () => {
    const onWrite = commandError(writeFailure('EPERM'), '/mnt/binfmt/qemu-arm', 'qemu-arm');
    const onOpen = commandError({ stage: 'open', code: 'EPERM', message: '' }, '/mnt/binfmt/qemu-arm', 'qemu-arm');

    expect(onWrite.kind).toBe('operation-not-permitted');
    expect(onOpen.kind).toBe('permission');
  });

  it('keeps an unexpected errno with its message', () => {
    const error = commandError(writeFailure('EIO'), '/mnt/binfmt/status', 'status');

    expect(describeProcfsError(error)).toBe(
      'write /mnt/binfmt/status failed (EIO): EIO: failed; check the path and retry',
    );
  });
});
