import type { RemoveReport } from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { ProcfsError } from './errors.js';
import { commandError } from './internal/errno.js';
import { writeOnce } from './internal/system-call.js';
import { listEntryNames, readInstance } from './read.js';
import { type EntrySelector, selectEntries } from './selector.js';

/** The result of enabling or disabling entries. */
export interface ToggleReport<E> {
  /** Entries whose state changed. */
  readonly changed: readonly string[];
  /** Entries that were already in the requested state. */
  readonly unchanged: readonly string[];
  /** Names and selectors that matched no entry. */
  readonly missing: readonly string[];
  readonly failed: readonly { readonly name: string; readonly error: E }[];
}

type Failure = { name: string; error: ProcfsError };

/** Write `-1` to each named entry that exists; the list is read first, so `status` and `register` are never written. @internal */
export async function removeEntries(
  root: string,
  names: readonly string[],
  missing: readonly string[] = [],
): Promise<Result<RemoveReport<ProcfsError>, ProcfsError>> {
  const existing = await listEntryNames(root);
  if (existing.isErr()) return err(existing.error);
  const present = new Set(existing.value);

  const removed: string[] = [];
  const notFound: string[] = [...missing];
  const failed: Failure[] = [];
  for (const name of new Set(names)) {
    if (!present.has(name)) {
      notFound.push(name);
      continue;
    }
    const path = `${root}/${name}`;
    const written = await writeOnce(path, '-1');
    if (written.isOk()) {
      removed.push(name);
    } else if (written.error.stage === 'open' && written.error.code === 'ENOENT') {
      // Removed by someone else since the listing.
      notFound.push(name);
    } else {
      failed.push({ name, error: commandError(written.error, path, name) });
    }
  }
  return ok({ removed, missing: notFound, failed });
}

/** Remove the entries a selector picks. @internal */
export async function removeSelected(
  root: string,
  selector: EntrySelector,
): Promise<Result<RemoveReport<ProcfsError>, ProcfsError>> {
  const names = await listEntryNames(root);
  if (names.isErr()) return err(names.error);
  const selected = selectEntries(selector, names.value);
  return removeEntries(root, selected.matched, selected.missing);
}

/** Enable or disable the entries a selector picks, one write of `1` or `0` each. @internal */
export async function toggleSelected(
  root: string,
  selector: EntrySelector,
  enabled: boolean,
): Promise<Result<ToggleReport<ProcfsError>, ProcfsError>> {
  const state = await readInstance(root);
  if (state.isErr()) return err(state.error);
  const entries = new Map(state.value.entries.map((entry) => [entry.record.name, entry]));
  const selected = selectEntries(selector, [...entries.keys()]);

  const changed: string[] = [];
  const unchanged: string[] = [];
  const missing: string[] = [...selected.missing];
  const failed: Failure[] = [];
  for (const name of selected.matched) {
    if (entries.get(name)?.enabled === enabled) {
      unchanged.push(name);
      continue;
    }
    const path = `${root}/${name}`;
    const written = await writeOnce(path, enabled ? '1' : '0');
    if (written.isOk()) changed.push(name);
    else if (written.error.stage === 'open' && written.error.code === 'ENOENT') missing.push(name);
    else failed.push({ name, error: commandError(written.error, path, name) });
  }
  return ok({ changed, unchanged, missing, failed });
}

/** Write `1` or `0` to `status`, which enables or disables matching for the whole instance. @internal */
export async function setStatus(root: string, enabled: boolean): Promise<Result<void, ProcfsError>> {
  const path = `${root}/status`;
  const written = await writeOnce(path, enabled ? '1' : '0');
  return written.mapErr((failure) => commandError(failure, path, 'status'));
}

/**
 * Write `-1` to `status`, which removes every entry, other tools' included. The names
 * read just before are reported as removed. @internal
 */
export async function removeEveryEntry(root: string): Promise<Result<RemoveReport<ProcfsError>, ProcfsError>> {
  const names = await listEntryNames(root);
  if (names.isErr()) return err(names.error);
  const path = `${root}/status`;
  const written = await writeOnce(path, '-1');
  if (written.isErr()) return err(commandError(written.error, path, 'status'));
  return ok({ removed: names.value, missing: [], failed: [] });
}
