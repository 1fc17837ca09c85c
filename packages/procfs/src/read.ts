import { opendir, readFile } from 'node:fs/promises';
import { type BackendState, type InstalledEntry, parseEntryStatus } from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { ProcfsError } from './errors.js';
import { errnoOf } from './internal/system-call.js';

const CONTROL_FILES = new Set(['register', 'status']);

function readError(path: string, error: unknown): ProcfsError {
  const { code, message } = errnoOf(error);
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'permission', path, operation: 'read', code };
  if (code === 'ENODEV') return { kind: 'no-device', path };
  return { kind: 'system-error', path, operation: 'read', code, message };
}

/**
 * List entry names oldest first.
 * NOTE: the order relies on `getdents(2)` listing the newest entry first, as seen on Linux
 * 6.18. `opendir` keeps that order, unlike `readdir`, which sorts the names.
 * @internal
 */
export async function listEntryNames(root: string): Promise<Result<string[], ProcfsError>> {
  const names: string[] = [];
  try {
    const directory = await opendir(root);
    for await (const dirent of directory) {
      if (!CONTROL_FILES.has(dirent.name)) names.push(dirent.name);
    }
  } catch (error) {
    return err(readError(root, error));
  }
  return ok(names.reverse());
}

/** Read one entry; `null` when it vanished since the directory was listed. @internal */
export async function readEntry(root: string, name: string): Promise<Result<InstalledEntry | null, ProcfsError>> {
  const path = `${root}/${name}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error).code === 'ENOENT') return ok(null);
    return err(readError(path, error));
  }
  const parsed = parseEntryStatus(name, text);
  if (parsed.isErr()) return err({ kind: 'invalid-entry', path, error: parsed.error });
  return ok(parsed.value);
}

/** Read the instance's `status` file and every entry, oldest first. @internal */
export async function readInstance(root: string): Promise<Result<BackendState, ProcfsError>> {
  const statusPath = `${root}/status`;
  let statusText: string;
  try {
    statusText = await readFile(statusPath, 'utf8');
  } catch (error) {
    return err(readError(statusPath, error));
  }
  const names = await listEntryNames(root);
  if (names.isErr()) return err(names.error);

  const entries: InstalledEntry[] = [];
  for (const name of names.value) {
    const entry = await readEntry(root, name);
    if (entry.isErr()) return err(entry.error);
    if (entry.value !== null) entries.push(entry.value);
  }
  return ok({ entries, enabled: statusText.trim() === 'enabled' });
}
