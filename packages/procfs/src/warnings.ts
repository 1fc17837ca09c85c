import { type BackendWarning, type BinfmtRecord, findOverlaps, type InstalledEntry, recordMismatch } from '@qus/core';
import { describeNativeWarning, describeOverlapWarning } from './messages.js';

/**
 * Warnings to show before writing `records`:
 *
 * - `overlap`: a record can match a file that an existing entry with another interpreter
 *   also matches. The kernel tries the newest entry first, so the new record takes over.
 * - `native-target`: a record matches the host's own programs, so every native exec would
 *   go through its interpreter.
 *
 * @param existing - entries in the instance, oldest first; entries that a record of the
 *   same name replaces are skipped
 * @param nativeHeaders - first bytes of programs native to the host
 * @internal
 */
export function findWarnings(
  records: readonly BinfmtRecord[],
  existing: readonly InstalledEntry[],
  nativeHeaders: readonly Uint8Array[],
  hostMachine: string,
): BackendWarning[] {
  const warnings: BackendWarning[] = [];
  const names = new Set(records.map((record) => record.name));
  const earlier: BinfmtRecord[] = existing.map((entry) => entry.record).filter((record) => !names.has(record.name));

  for (const record of records) {
    for (const older of earlier) {
      if (older.interpreter === record.interpreter) continue;
      const overlaps = findOverlaps([older, record]);
      if (overlaps.length > 0) {
        warnings.push({ kind: 'overlap', name: record.name, message: describeOverlapWarning(record, older) });
      }
    }
    earlier.push(record);

    if (nativeHeaders.some((bytes) => recordMismatch(record, { bytes }) === null)) {
      warnings.push({
        kind: 'native-target',
        name: record.name,
        message: describeNativeWarning(record, hostMachine),
      });
    }
  }
  return warnings;
}
