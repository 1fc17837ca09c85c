import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import type { BinfmtDError, FileOperation } from '../errors.js';
import { errnoCode } from './errno.js';

/**
 * The steps of {@link writeFileAtomic} that tests replace to simulate a crash.
 *
 * @internal
 */
export interface AtomicWriteSteps {
  readonly rename: (from: string, to: string) => Promise<void>;
}

const defaultSteps: AtomicWriteSteps = { rename };

/** Mode of every file this package writes. */
export const FILE_MODE = 0o644;

/**
 * Write `content` to `path` so that a reader sees either the old file or the whole new
 * one: write a hidden temporary file in the same folder, fsync it, set mode 0644, rename
 * it over `path`, then fsync the folder so that the rename survives a power cut. The
 * temporary file starts with a dot, so systemd, which skips hidden files, never reads it.
 * On failure the temporary file is deleted and `path` is untouched.
 *
 * It is written by hand rather than with `write-file-atomic` because the rename step must
 * be replaceable in tests and the folder must be fsynced after the rename.
 *
 * @internal
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  steps: AtomicWriteSteps = defaultSteps,
): Promise<Result<void, BinfmtDError>> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fail = (operation: FileOperation, error: unknown, at: string = path): Result<void, BinfmtDError> =>
    err({ kind: 'io-failed', path: at, operation, code: errnoCode(error) });

  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temporary, 'wx', FILE_MODE);
  } catch (error) {
    return fail('create-temp', error, folder);
  }
  let operation: FileOperation = 'write';
  try {
    await handle.writeFile(content, 'utf8');
    operation = 'chmod';
    // open() applies the umask; the file must be 0644 whatever the umask is.
    await handle.chmod(FILE_MODE);
    operation = 'fsync';
    await handle.sync();
    await handle.close();
    operation = 'rename';
    await steps.rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    return fail(operation, error);
  }
  return syncFolder(folder);
}

/**
 * Delete a file and fsync its folder.
 *
 * @internal
 */
export async function unlinkDurably(path: string): Promise<Result<void, BinfmtDError>> {
  try {
    await unlink(path);
  } catch (error) {
    return err({ kind: 'io-failed', path, operation: 'unlink', code: errnoCode(error) });
  }
  return syncFolder(dirname(path));
}

async function syncFolder(folder: string): Promise<Result<void, BinfmtDError>> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    return err({ kind: 'io-failed', path: folder, operation: 'fsync', code: errnoCode(error) });
  }
  return ok(undefined);
}
