import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendState, BinfmtRecord } from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import { type DebianEntry, formatDebianImportFile, parseDebianImportFile } from './debian-file.js';
import type { BinfmtDError } from './errors.js';
import type { FileBackend, FileBackendOptions } from './file-backend.js';
import type { AtomicWriteSteps } from './internal/atomic-write.js';
import { errnoCode } from './internal/errno.js';
import { applyFiles, type FileFormat, planFiles, removeFiles } from './internal/file-store.js';
import { describeBinfmtDError } from './messages.js';

/** Options of {@link createDebianBackend}. */
export interface DebianBackendOptions extends FileBackendOptions {
  /**
   * The folder of binfmt-support import files.
   * @default '/usr/share/binfmts'
   */
  readonly importDirectory?: string;
}

/** The state the Debian backend reads: every import file in the folder. */
export interface DebianState extends BackendState {
  /** Each entry with its package and detector, in file-name order. */
  readonly imports: readonly DebianEntry[];
  /** Files that could not be read or parsed; every other file is in `entries`. */
  readonly errors: readonly BinfmtDError[];
}

/** The Debian binfmt-support backend. */
export interface DebianBackend extends FileBackend {
  /** Read every import file in the folder. */
  read(): Promise<Result<DebianState, BinfmtDError>>;
}

/** @internal */
export const DEBIAN_FORMAT: FileFormat = {
  fileName: (name) => name,
  entryName: (fileName) => (fileName.startsWith('.') ? null : fileName),
  format: (record: BinfmtRecord) => formatDebianImportFile(record),
};

/**
 * Create a backend that keeps each record in a binfmt-support import file
 * `<importDirectory>/<name>`, as `qemu-binfmt-conf.sh --debian` writes them. Nothing is
 * registered: run `update-binfmts --import <name>` afterwards, which records the entry in
 * `/var/lib/binfmts` and registers it when binfmt_misc is mounted.
 *
 * @example
 * const backend = createDebianBackend({ importDirectory: '/usr/share/binfmts' });
 * await backend.apply(records);
 */
export function createDebianBackend(options: DebianBackendOptions = {}): DebianBackend {
  return createDebianBackendWithSteps(options);
}

/**
 * {@link createDebianBackend} with replaceable write steps, for tests that simulate a crash.
 *
 * @internal
 */
export function createDebianBackendWithSteps(options: DebianBackendOptions, steps?: AtomicWriteSteps): DebianBackend {
  const directory = options.importDirectory ?? '/usr/share/binfmts';
  const store = {
    directory,
    force: options.force ?? false,
    prune: options.prune ?? false,
    ...(steps === undefined ? {} : { steps }),
  };
  return {
    name: 'debian',
    directory,
    apply: (records, applyOptions = {}) => applyFiles(records, DEBIAN_FORMAT, store, applyOptions),
    planFiles: (records, planOptions = {}) => planFiles(records, DEBIAN_FORMAT, store, planOptions.replace ?? false),
    read: () => readImportDirectory(directory),
    remove: (names) => removeFiles(names, DEBIAN_FORMAT, store),
    describeError: describeBinfmtDError,
  };
}

/**
 * Read every import file of a folder in byte order of the names.
 * NOTE: update-binfmts imports and enables in the order of readdir(), which is not sorted,
 * so the order of overlapping entries after `--import` without a name is not defined.
 */
async function readImportDirectory(directory: string): Promise<Result<DebianState, BinfmtDError>> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'ENOENT') return err({ kind: 'io-failed', path: directory, operation: 'list', code });
    names = [];
  }
  const imports: DebianEntry[] = [];
  const errors: BinfmtDError[] = [];
  for (const name of names.filter((file) => !file.startsWith('.')).sort()) {
    const path = join(directory, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = errnoCode(error);
      errors.push(
        code === 'EISDIR' ? { kind: 'not-a-file', path } : { kind: 'io-failed', path, operation: 'read', code },
      );
      continue;
    }
    const parsed = parseDebianImportFile(text, name);
    if (parsed.isErr()) errors.push(parsed.error);
    else imports.push(parsed.value);
  }
  return ok({
    entries: imports.map((entry) => ({ record: entry.record, enabled: true })),
    enabled: true,
    imports,
    errors,
  });
}
