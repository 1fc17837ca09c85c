import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApplyOptions, BinfmtRecord, RecordOutcome, RemoveReport } from '@qus/core';
import { createTwoFilesPatch } from 'diff';
import { err, ok, type Result } from 'neverthrow';
import type { BinfmtDError } from '../errors.js';
import type { FileApplyReport, FileChange, FilePlan } from '../file-plan.js';
import { isGeneratedFile } from '../header.js';
import { type AtomicWriteSteps, unlinkDurably, writeFileAtomic } from './atomic-write.js';
import { errnoCode } from './errno.js';
import { makeDirectories } from './make-directories.js';

/**
 * The file naming and formatting of one backend.
 *
 * @internal
 */
export interface FileFormat {
  /** The file name for an entry name. */
  readonly fileName: (name: string) => string;
  /** The entry name for a file name, or `null` when the file is not one this format writes. */
  readonly entryName: (fileName: string) => string | null;
  readonly format: (record: BinfmtRecord) => Result<string, BinfmtDError>;
}

/** @internal */
export interface FileStoreOptions {
  readonly directory: string;
  readonly force: boolean;
  readonly prune: boolean;
  readonly steps?: AtomicWriteSteps;
}

type PlanItem =
  | { readonly name: string; readonly change: FileChange }
  | { readonly name: string; readonly error: BinfmtDError };

interface InternalPlan {
  readonly items: readonly PlanItem[];
  readonly prunes: readonly FileChange[];
}

type Existing = { readonly kind: 'missing' } | { readonly kind: 'file'; readonly text: string };

async function readExisting(path: string): Promise<Result<Existing, BinfmtDError>> {
  try {
    return ok({ kind: 'file', text: await readFile(path, 'utf8') });
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return ok({ kind: 'missing' });
    if (code === 'EISDIR') return err({ kind: 'not-a-file', path });
    return err({ kind: 'io-failed', path, operation: 'read', code });
  }
}

function unifiedDiff(path: string, previous: string | null, content: string | null): string {
  if (previous === content) return '';
  return createTwoFilesPatch(
    previous === null ? '/dev/null' : path,
    content === null ? '/dev/null' : path,
    previous ?? '',
    content ?? '',
  );
}

async function planInternal(
  records: readonly BinfmtRecord[],
  format: FileFormat,
  options: FileStoreOptions,
  replace: boolean,
): Promise<Result<InternalPlan, BinfmtDError>> {
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.name)) return err({ kind: 'duplicate-name', name: record.name });
    seen.add(record.name);
  }

  const items: PlanItem[] = [];
  for (const record of records) {
    const { name } = record;
    const content = format.format(record);
    if (content.isErr()) {
      items.push({ name, error: content.error });
      continue;
    }
    const path = join(options.directory, format.fileName(name));
    const existing = await readExisting(path);
    if (existing.isErr()) {
      items.push({ name, error: existing.error });
      continue;
    }
    const previous = existing.value.kind === 'file' ? existing.value.text : null;
    const diff = unifiedDiff(path, previous, content.value);
    if (previous === null) {
      items.push({ name, change: { path, name, action: 'create', previous, content: content.value, diff } });
    } else if (previous === content.value) {
      items.push({ name, change: { path, name, action: 'unchanged', previous, content: content.value, diff } });
    } else if (options.force || replace) {
      items.push({ name, change: { path, name, action: 'replace', previous, content: content.value, diff } });
    } else {
      items.push({ name, error: { kind: 'file-conflict', path, name, existing: previous, expected: content.value } });
    }
  }

  if (!options.prune) return ok({ items, prunes: [] });
  const prunes = await planPrunes(format, options.directory, seen);
  return prunes.map((list) => ({ items, prunes: list }));
}

async function planPrunes(
  format: FileFormat,
  directory: string,
  keep: ReadonlySet<string>,
): Promise<Result<FileChange[], BinfmtDError>> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return ok([]);
    return err({ kind: 'io-failed', path: directory, operation: 'list', code });
  }
  const prunes: FileChange[] = [];
  for (const fileName of names.sort()) {
    const name = format.entryName(fileName);
    if (name === null || keep.has(name)) continue;
    const path = join(directory, fileName);
    const existing = await readExisting(path);
    // Only files this package wrote are pruned; anything unreadable is left alone.
    if (existing.isErr() || existing.value.kind !== 'file' || !isGeneratedFile(existing.value.text)) continue;
    const previous = existing.value.text;
    prunes.push({ path, name, action: 'prune', previous, content: null, diff: unifiedDiff(path, previous, null) });
  }
  return ok(prunes);
}

/** @internal */
export async function planFiles(
  records: readonly BinfmtRecord[],
  format: FileFormat,
  options: FileStoreOptions,
  replace: boolean,
): Promise<Result<FilePlan, BinfmtDError>> {
  const plan = await planInternal(records, format, options, replace);
  return plan.map(({ items, prunes }) => {
    const changes: FileChange[] = [];
    const failures: { name: string; error: BinfmtDError }[] = [];
    for (const item of items) {
      if ('change' in item) changes.push(item.change);
      else failures.push({ name: item.name, error: item.error });
    }
    return { directory: options.directory, changes: [...changes, ...prunes], failures };
  });
}

function plannedOutcome(item: PlanItem): RecordOutcome<BinfmtDError> {
  if (!('change' in item)) return { name: item.name, status: 'failed', error: item.error };
  if (item.change.action === 'create') return { name: item.name, status: 'registered' };
  if (item.change.action === 'replace') return { name: item.name, status: 'replaced' };
  return { name: item.name, status: 'unchanged' };
}

/**
 * Write the files for `records` in order, following `onError`; see {@link FileBackend.apply}.
 *
 * @internal
 */
export async function applyFiles(
  records: readonly BinfmtRecord[],
  format: FileFormat,
  options: FileStoreOptions,
  applyOptions: ApplyOptions,
): Promise<Result<FileApplyReport, BinfmtDError>> {
  const planned = await planInternal(records, format, options, applyOptions.replace ?? false);
  if (planned.isErr()) return err(planned.error);
  const { items, prunes } = planned.value;

  if (applyOptions.dryRun === true) {
    const changes = items.flatMap((item) => ('change' in item ? [item.change] : []));
    return ok({
      dryRun: true,
      outcomes: items.map(plannedOutcome),
      warnings: [],
      rolledBack: false,
      rollbackFailures: [],
      changes: [...changes, ...prunes],
      pruneFailures: [],
    });
  }

  const onError = applyOptions.onError ?? 'stop';
  const outcomes: RecordOutcome<BinfmtDError>[] = [];
  const done: FileChange[] = [];
  let failed = false;
  let directoryReady = false;

  for (const item of items) {
    if (failed && onError !== 'continue') {
      outcomes.push({ name: item.name, status: 'skipped' });
      continue;
    }
    let error: BinfmtDError | null = 'change' in item ? null : item.error;
    if ('change' in item && item.change.action !== 'unchanged') {
      if (!directoryReady) {
        const created = await makeDirectory(options.directory);
        if (created.isErr()) error = created.error;
        else directoryReady = true;
      }
      if (error === null) {
        const written = await writeFileAtomic(item.change.path, item.change.content ?? '', options.steps);
        if (written.isErr()) error = written.error;
      }
    }
    if (error !== null) {
      failed = true;
      outcomes.push({ name: item.name, status: 'failed', error });
      continue;
    }
    outcomes.push(plannedOutcome(item));
    if ('change' in item) done.push(item.change);
  }

  if (failed && onError === 'rollback') {
    const rollbackFailures = await rollBack(done, options.steps);
    const undone = new Set(done.filter((change) => change.action !== 'unchanged').map((change) => change.name));
    return ok({
      dryRun: false,
      outcomes: outcomes.map((outcome) =>
        undone.has(outcome.name) ? { name: outcome.name, status: 'rolled-back' as const } : outcome,
      ),
      warnings: [],
      rolledBack: true,
      rollbackFailures,
      changes: done.filter((change) => change.action === 'unchanged'),
      pruneFailures: [],
    });
  }

  const pruneFailures: { path: string; error: BinfmtDError }[] = [];
  const pruned: FileChange[] = [];
  // A partly failed apply does not prune, so a retry still finds the old files.
  if (!failed) {
    for (const change of prunes) {
      const removed = await unlinkDurably(change.path);
      if (removed.isErr()) pruneFailures.push({ path: change.path, error: removed.error });
      else pruned.push(change);
    }
  }
  return ok({
    dryRun: false,
    outcomes,
    warnings: [],
    rolledBack: false,
    rollbackFailures: [],
    changes: [...done, ...pruned],
    pruneFailures,
  });
}

async function makeDirectory(directory: string): Promise<Result<void, BinfmtDError>> {
  try {
    await makeDirectories(directory, 0o755);
    return ok(undefined);
  } catch (error) {
    return err({ kind: 'io-failed', path: directory, operation: 'mkdir', code: errnoCode(error) });
  }
}

/** Undo written files newest first: restore the previous text, or delete a created file. */
async function rollBack(
  done: readonly FileChange[],
  steps: AtomicWriteSteps | undefined,
): Promise<{ name: string; error: BinfmtDError }[]> {
  const failures: { name: string; error: BinfmtDError }[] = [];
  for (const change of [...done].reverse()) {
    if (change.action === 'unchanged') continue;
    const undone =
      change.previous === null
        ? await unlinkDurably(change.path)
        : await writeFileAtomic(change.path, change.previous, steps);
    if (undone.isErr()) failures.push({ name: change.name, error: undone.error });
  }
  return failures;
}

/**
 * Delete the files of the named entries; see {@link FileBackend.remove}.
 *
 * @internal
 */
export async function removeFiles(
  names: readonly string[],
  format: FileFormat,
  options: FileStoreOptions,
): Promise<Result<RemoveReport<BinfmtDError>, BinfmtDError>> {
  const removed: string[] = [];
  const missing: string[] = [];
  const failed: { name: string; error: BinfmtDError }[] = [];
  for (const name of names) {
    const path = join(options.directory, format.fileName(name));
    const existing = await readExisting(path);
    if (existing.isErr()) {
      failed.push({ name, error: existing.error });
      continue;
    }
    if (existing.value.kind === 'missing') {
      missing.push(name);
      continue;
    }
    if (!options.force && !isGeneratedFile(existing.value.text)) {
      failed.push({ name, error: { kind: 'not-generated', path, name } });
      continue;
    }
    const unlinked = await unlinkDurably(path);
    if (unlinked.isErr()) failed.push({ name, error: unlinked.error });
    else removed.push(name);
  }
  return ok({ removed, missing, failed });
}
