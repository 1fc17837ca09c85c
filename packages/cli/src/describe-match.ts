import type { BinfmtRecord, InstalledEntry, MatchRejection } from '@qus/core';
import { formatFlagsAsKernel } from '@qus/core';
import { match } from 'ts-pattern';

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/** Describe why an entry does not run a file, as `inspect` and `doctor` print it. */
export function describeRejection(reason: MatchRejection): string {
  return match(reason)
    .with({ kind: 'disabled' }, () => 'disabled')
    .with(
      { kind: 'byte-mismatch' },
      (r) => `byte ${r.offset} is ${hex(r.actual)}, expected ${hex(r.expected)} under mask ${hex(r.mask)}`,
    )
    .with({ kind: 'extension-mismatch' }, (r) =>
      r.actual === null
        ? `matches extension ".${r.expected}", and the path has none`
        : `matches extension ".${r.expected}", not ".${r.actual}"`,
    )
    .with({ kind: 'shadowed' }, (r) => `matches too, but ${r.by} is newer and the kernel tries it first`)
    .exhaustive();
}

/** Describe an entry in one line: name, interpreter and flags. */
export function describeEntry(record: BinfmtRecord): string {
  const flags = formatFlagsAsKernel(record.flags);
  return `${record.name} (${record.interpreter}${flags === '' ? '' : `, flags ${flags}`})`;
}

/** Convert an entry to the JSON form that `inspect`, `status` and `doctor` print. */
export function entryToJson(entry: InstalledEntry): Record<string, unknown> {
  const record = entry.record;
  const base = {
    name: record.name,
    enabled: entry.enabled,
    interpreter: record.interpreter,
    flags: formatFlagsAsKernel(record.flags),
  };
  if (record.kind === 'extension') return { ...base, type: 'E', extension: record.extension };
  return {
    ...base,
    type: 'M',
    offset: record.offset,
    magic: Buffer.from(record.magic).toString('hex'),
    mask: record.mask === null ? null : Buffer.from(record.mask).toString('hex'),
  };
}
