import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BinfmtDError } from '@qus/binfmt-d';
import { type BinfmtRecord, createExtensionRecord, type MagicRecord, type RecordOutcome, register } from '@qus/core';

/** Build the catalogue record of one QEMU target with the given flags, interpreter under /usr/bin. */
export function qemuRecord(target: string, flags = ''): MagicRecord {
  return register([target], { flags, validation: { strict: false } })._unsafeUnwrap()[0] as MagicRecord;
}

export const pythonRecord: BinfmtRecord = createExtensionRecord({
  name: 'python3',
  extension: 'py',
  interpreter: '/usr/bin/python3',
  flags: 'F',
});

/** A fresh temporary folder, deleted by the returned function. */
export async function temporaryFolder(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'qus-binfmt-d-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Return the error of a failed outcome, and throw for any other status. */
export function errorOf(outcome: RecordOutcome<BinfmtDError> | undefined): BinfmtDError {
  if (outcome?.status !== 'failed') throw new Error(`expected a failed outcome, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

/** Return a value that must be present, and throw with `what` when it is missing. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing: ${what}`);
  return value;
}
