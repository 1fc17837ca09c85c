import { type BinfmtRecord, findRecordIssues, type KernelFeatures, parseRegisterString } from '@qus/core';
import type { ProcfsError } from '../errors.js';
import type { SystemCallFailure } from './system-call.js';

/**
 * Turn a failed write to `register` into an error. EEXIST is not handled here, because
 * it needs the existing entry, which the caller reads.
 * @internal
 */
export function registerError(
  failure: SystemCallFailure,
  record: BinfmtRecord,
  registerPath: string,
  registerText: string,
  features: KernelFeatures,
): ProcfsError {
  if (failure.stage === 'short-write') {
    return { kind: 'short-write', path: registerPath, written: failure.written, expected: failure.expected };
  }
  const { code, message } = failure;
  if (failure.stage !== 'write') {
    if (code === 'EACCES' || code === 'EPERM')
      return { kind: 'permission', path: registerPath, operation: 'open', code };
    if (code === 'ENODEV') return { kind: 'no-device', path: registerPath };
    return { kind: 'system-error', path: registerPath, operation: failure.stage, code, message };
  }
  switch (code) {
    case 'EINVAL': {
      // Name the rule the kernel applied, if the validator or the parser finds it.
      const issues = findRecordIssues(record, { kernel: features, strict: false });
      const parsed = parseRegisterString(registerText, { kernel: features });
      const allIssues = issues.length === 0 && parsed.isErr() ? [parsed.error.issue] : issues;
      return { kind: 'invalid-record', name: record.name, issues: allIssues, rejectedBy: 'kernel' };
    }
    case 'ENOENT':
      return { kind: 'interpreter-not-found', name: record.name, interpreter: record.interpreter };
    case 'EACCES':
      return record.flags.fixBinary
        ? { kind: 'interpreter-not-executable', name: record.name, interpreter: record.interpreter }
        : { kind: 'permission', path: registerPath, operation: 'write', code };
    case 'EPERM':
      return { kind: 'operation-not-permitted', path: registerPath, name: record.name };
    case 'ENODEV':
      return { kind: 'no-device', path: registerPath };
    case 'ENAMETOOLONG':
      return { kind: 'name-too-long', name: record.name, length: Buffer.byteLength(record.name) };
    default:
      return { kind: 'system-error', path: registerPath, operation: 'write', code, message };
  }
}

/** Turn a failed command write (`0`, `1` or `-1` to `status` or an entry) into an error. @internal */
export function commandError(failure: SystemCallFailure, path: string, name: string): ProcfsError {
  if (failure.stage === 'short-write') {
    return { kind: 'short-write', path, written: failure.written, expected: failure.expected };
  }
  const { code, message } = failure;
  if (code === 'EACCES')
    return { kind: 'permission', path, operation: failure.stage === 'write' ? 'write' : 'open', code };
  if (code === 'EPERM') {
    return failure.stage === 'write'
      ? { kind: 'operation-not-permitted', path, name }
      : { kind: 'permission', path, operation: 'open', code };
  }
  if (code === 'ENODEV') return { kind: 'no-device', path };
  return { kind: 'system-error', path, operation: failure.stage === 'read' ? 'read' : failure.stage, code, message };
}
