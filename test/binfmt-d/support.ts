import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BinfmtRecord, createExtensionRecord, type MagicRecord, register } from '@qus/core';

/** The catalogue record of one QEMU target with the given flags, interpreter under /usr/bin. */
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
