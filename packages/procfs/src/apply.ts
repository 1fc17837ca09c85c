import { stat } from 'node:fs/promises';
import {
  type ApplyOptions,
  type ApplyReport,
  type BackendWarning,
  type BinfmtRecord,
  formatRegisterString,
  type InstalledEntry,
  type InterpreterFileInfo,
  type KernelFeatures,
  type RecordOutcome,
  recordsEqual,
} from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import { checkRecord } from './check-record.js';
import type { ProcfsError } from './errors.js';
import { commandError, registerError } from './internal/errno.js';
import { writeOnce } from './internal/system-call.js';
import { readEntry, readInstance } from './read.js';
import { findWarnings } from './warnings.js';

/** Instance and host facts for {@link applyRecords}. @internal */
export interface ApplyContext {
  readonly root: string;
  readonly features: KernelFeatures;
  readonly nativeHeaders: readonly Uint8Array[];
  readonly hostMachine: string;
}

/** A change this call made, kept so that a rollback can undo it. */
type UndoStep =
  | { readonly kind: 'registered'; readonly name: string }
  | { readonly kind: 'replaced'; readonly name: string; readonly previous: InstalledEntry };

type Failure = { readonly name: string; readonly error: ProcfsError };

/** The outcome of one record, and the change to undo on rollback. */
type StepResult =
  | { readonly status: 'registered' | 'unchanged'; readonly undo?: UndoStep }
  | { readonly status: 'replaced'; readonly undo: UndoStep }
  | { readonly status: 'failed'; readonly error: ProcfsError; readonly restoreFailures?: readonly Failure[] };

async function interpreterInfo(record: BinfmtRecord): Promise<InterpreterFileInfo | undefined> {
  if (!record.flags.credentials) return undefined;
  try {
    const info = await stat(record.interpreter);
    return { uid: info.uid, mode: info.mode };
  } catch {
    // A missing interpreter is the kernel's to report (ENOENT with F) or the caller's to install.
    return undefined;
  }
}

function entryPath(root: string, name: string): string {
  return `${root}/${name}`;
}

async function writeCommand(root: string, name: string, command: '-1' | '0' | '1'): Promise<Result<void, ProcfsError>> {
  const path = entryPath(root, name);
  const written = await writeOnce(path, command);
  return written.mapErr((failure) => commandError(failure, path, name));
}

/** Register one record with a single write; EEXIST followed by an identical entry counts as unchanged. */
async function registerRecord(
  context: ApplyContext,
  record: BinfmtRecord,
): Promise<Result<'registered' | 'unchanged', ProcfsError>> {
  // The record passed checkRecord, so it has a register string.
  const text = `${formatRegisterString(record)._unsafeUnwrap()}\n`;
  const registerPath = `${context.root}/register`;
  const written = await writeOnce(registerPath, text);
  if (written.isOk()) return ok('registered');

  const failure = written.error;
  if (failure.stage === 'write' && failure.code === 'EEXIST') {
    // Another process may have registered the same record since the instance was read.
    const existing = await readEntry(context.root, record.name);
    if (existing.isErr()) return err(existing.error);
    if (existing.value !== null && recordsEqual(existing.value.record, record)) return ok('unchanged');
    return err({ kind: 'entry-exists', name: record.name, existing: existing.value, requested: record });
  }
  return err(registerError(failure, record, registerPath, text, context.features));
}

/** Register an entry read back from the kernel again, disabled if it was. @internal */
export async function restoreEntry(root: string, entry: InstalledEntry): Promise<Result<void, ProcfsError>> {
  const text = formatRegisterString(entry.record);
  if (text.isErr()) {
    return err({
      kind: 'invalid-record',
      name: entry.record.name,
      issues: text.error.issues,
      rejectedBy: 'validation',
    });
  }
  const registerPath = `${root}/register`;
  const written = await writeOnce(registerPath, `${text.value}\n`);
  if (written.isErr()) {
    if (written.error.stage === 'write' && written.error.code === 'EEXIST') {
      return err({ kind: 'entry-exists', name: entry.record.name, existing: null, requested: entry.record });
    }
    return err(commandError(written.error, registerPath, entry.record.name));
  }
  return entry.enabled ? ok(undefined) : writeCommand(root, entry.record.name, '0');
}

async function applyOne(
  context: ApplyContext,
  record: BinfmtRecord,
  existing: InstalledEntry | undefined,
  replace: boolean,
): Promise<StepResult> {
  if (existing !== undefined && recordsEqual(existing.record, record)) return { status: 'unchanged' };
  if (existing !== undefined && !replace) {
    return { status: 'failed', error: { kind: 'entry-exists', name: record.name, existing, requested: record } };
  }
  if (existing === undefined) {
    const registered = await registerRecord(context, record);
    if (registered.isErr()) return { status: 'failed', error: registered.error };
    return registered.value === 'registered'
      ? { status: 'registered', undo: { kind: 'registered', name: record.name } }
      : { status: 'unchanged' };
  }

  const removed = await writeCommand(context.root, record.name, '-1');
  if (removed.isErr()) return { status: 'failed', error: removed.error };
  const registered = await registerRecord(context, record);
  if (registered.isOk())
    return { status: 'replaced', undo: { kind: 'replaced', name: record.name, previous: existing } };

  // Put the old entry back at once, so that a failed replacement never leaves the name empty.
  const restored = await restoreEntry(context.root, existing);
  return {
    status: 'failed',
    error: registered.error,
    ...(restored.isErr() ? { restoreFailures: [{ name: record.name, error: restored.error }] } : {}),
  };
}

function planOne(record: BinfmtRecord, existing: InstalledEntry | undefined, replace: boolean): StepResult {
  if (existing === undefined) return { status: 'registered' };
  if (recordsEqual(existing.record, record)) return { status: 'unchanged' };
  if (!replace) {
    return { status: 'failed', error: { kind: 'entry-exists', name: record.name, existing, requested: record } };
  }
  return { status: 'replaced', undo: { kind: 'replaced', name: record.name, previous: existing } };
}

async function undoStep(root: string, step: UndoStep): Promise<Result<void, ProcfsError>> {
  const removed = await writeCommand(root, step.name, '-1');
  if (removed.isErr() || step.kind === 'registered') return removed;
  return restoreEntry(root, step.previous);
}

function disabledWarnings(records: readonly BinfmtRecord[], existing: Map<string, InstalledEntry>): BackendWarning[] {
  return records.flatMap((record) => {
    const entry = existing.get(record.name);
    if (entry === undefined || entry.enabled || !recordsEqual(entry.record, record)) return [];
    return [
      {
        kind: 'disabled',
        name: record.name,
        message: `entry "${record.name}" is registered but disabled, so it runs nothing; enable it to use it`,
      },
    ];
  });
}

/**
 * Apply records to the instance at `context.root`, one write each, in order. Records are
 * checked and warnings computed before the first write. @internal
 */
export async function applyRecords(
  context: ApplyContext,
  records: readonly BinfmtRecord[],
  options: ApplyOptions = {},
): Promise<Result<ApplyReport<ProcfsError>, ProcfsError>> {
  const replace = options.replace ?? false;
  const onError = options.onError ?? 'stop';
  const dryRun = options.dryRun ?? false;

  const state = await readInstance(context.root);
  if (state.isErr()) return err(state.error);
  const existing = new Map(state.value.entries.map((entry) => [entry.record.name, entry]));

  const checks = await Promise.all(
    records.map(async (record) => checkRecord(record, context.features, await interpreterInfo(record))),
  );
  const toWrite = records.filter((record, index) => {
    const entry = existing.get(record.name);
    return checks[index]?.isOk() === true && (entry === undefined || !recordsEqual(entry.record, record));
  });
  const warnings = [
    ...findWarnings(toWrite, state.value.entries, context.nativeHeaders, context.hostMachine),
    ...disabledWarnings(records, existing),
  ];

  const outcomes: RecordOutcome<ProcfsError>[] = [];
  const undo: UndoStep[] = [];
  const rollbackFailures: Failure[] = [];
  let stopped = false;
  for (const [index, record] of records.entries()) {
    if (stopped) {
      outcomes.push({ name: record.name, status: 'skipped' });
      continue;
    }
    const check = checks[index] as Result<BinfmtRecord, ProcfsError>;
    const step: StepResult = check.isErr()
      ? { status: 'failed', error: check.error }
      : dryRun
        ? planOne(record, existing.get(record.name), replace)
        : await applyOne(context, record, existing.get(record.name), replace);

    if (step.status === 'failed') {
      outcomes.push({ name: record.name, status: 'failed', error: step.error });
      rollbackFailures.push(...(step.restoreFailures ?? []));
      if (onError !== 'continue') stopped = true;
      continue;
    }
    outcomes.push({ name: record.name, status: step.status });
    if (step.undo !== undefined && !dryRun) undo.push(step.undo);
    existing.set(record.name, { record, enabled: true });
  }

  const rollBack = stopped && onError === 'rollback' && !dryRun;
  if (rollBack) {
    for (const step of undo.reverse()) {
      const undone = await undoStep(context.root, step);
      if (undone.isErr()) {
        rollbackFailures.push({ name: step.name, error: undone.error });
        continue;
      }
      const position = outcomes.findIndex((outcome) => outcome.name === step.name && outcome.status !== 'failed');
      if (position !== -1) outcomes[position] = { name: step.name, status: 'rolled-back' };
    }
  }
  return ok({ outcomes, warnings, rolledBack: rollBack, rollbackFailures });
}
