import {
  type BinfmtRecord,
  findRecordIssues,
  type InterpreterFileInfo,
  type KernelFeatures,
  type ValidationIssue,
} from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { ProcfsError } from './errors.js';

const FEATURE_RULES = new Set(['fix-binary-unsupported', 'preserve-argv0-unsupported']);

/** Whether a buffer issue comes only from the 128-byte buffer of kernels before 5.1. */
function isSmallBufferIssue(issue: ValidationIssue, record: BinfmtRecord, features: KernelFeatures): boolean {
  if (features.bufferSize === 256 || record.kind !== 'magic') return false;
  if (issue.rule !== 'magic-too-long' && issue.rule !== 'magic-beyond-buffer') return false;
  return record.offset + record.magic.length <= 256;
}

/**
 * Check a record before it is written, against the rules of the running kernel and this
 * library's safety rules. The kernel accepts records that break a safety rule (a relative
 * interpreter, a name with whitespace, an all-zero mask), but they do not work as intended.
 *
 * `P` on a kernel older than 5.12 is rejected unless the interpreter's name ends in
 * `-binfmt-P`: QEMU cannot tell it was started with `P` there and would pass the guest
 * an extra argument. The release does not show stable backports (5.10.y has one), so a
 * caller that knows its kernel has the `AT_FLAGS` bit passes a `kernelRelease` of 5.12.
 * @internal
 */
export function checkRecord(
  record: BinfmtRecord,
  features: KernelFeatures,
  interpreterFile?: InterpreterFileInfo,
): Result<BinfmtRecord, ProcfsError> {
  const issues = findRecordIssues(record, {
    kernel: features,
    strict: true,
    ...(interpreterFile === undefined ? {} : { interpreterFile }),
  });
  if (issues.length === 0) return ok(record);

  const release = features.version.release;
  const otherIssues = issues.filter(
    (issue) => !FEATURE_RULES.has(issue.rule) && !isSmallBufferIssue(issue, record, features),
  );
  if (otherIssues.length > 0) {
    return err({ kind: 'invalid-record', name: record.name, issues, rejectedBy: 'validation' });
  }
  if (issues.some((issue) => issue.rule === 'fix-binary-unsupported')) {
    return err({ kind: 'kernel-feature', name: record.name, feature: 'fix-binary', release });
  }
  if (issues.some((issue) => issue.rule === 'preserve-argv0-unsupported')) {
    return err({ kind: 'kernel-feature', name: record.name, feature: 'preserve-argv0', release });
  }
  return err({ kind: 'kernel-feature', name: record.name, feature: 'buffer-size', release });
}
