import { readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { BinfmtRecord } from '@qus/core';
import type { BinfmtDError } from './errors.js';
import { errnoCode } from './internal/errno.js';
import { type BinfmtDRule, parseBinfmtDFile } from './systemd-file.js';

/** The folders systemd-binfmt reads, highest precedence first (systemd 252, `CONF_PATHS("binfmt.d")`). */
export const SYSTEMD_BINFMT_DIRECTORIES: readonly string[] = Object.freeze([
  '/etc/binfmt.d',
  '/run/binfmt.d',
  '/usr/local/lib/binfmt.d',
  '/usr/lib/binfmt.d',
]);

/** Options of {@link readSystemdConfig}. */
export interface ReadSystemdConfigOptions {
  /**
   * Folders to read, highest precedence first.
   * @default SYSTEMD_BINFMT_DIRECTORIES
   */
  readonly roots?: readonly string[];
  /**
   * A prefix for every folder in `roots`, to read an image or a test tree.
   * NOTE: symbolic links with absolute targets resolve on the running system, not under
   * this prefix (a link to `/dev/null` still masks).
   * @default ''
   */
  readonly root?: string;
}

/** One configuration file that survived precedence, in the order systemd-binfmt applies them. */
export interface SystemdConfigFile {
  /** The base name, by which files are ordered and override each other. */
  readonly name: string;
  readonly path: string;
  /** Whether it is a symbolic link to `/dev/null`, which hides same-named files of lower folders. */
  readonly masked: boolean;
}

/** The result of {@link readSystemdConfig}. */
export interface SystemdConfig {
  readonly files: readonly SystemdConfigFile[];
  /**
   * The entries binfmt_misc contains after systemd-binfmt has run on an empty instance,
   * in registration order, oldest first. A rule whose name was already registered deletes
   * the older entry and becomes the newest, so core's `matchFile` can tell which entry
   * runs a file.
   */
  readonly records: readonly BinfmtRecord[];
  /** {@link SystemdConfig.records} with the file and line each comes from. */
  readonly rules: readonly BinfmtDRule[];
  /** Unreadable folders and files, and bad lines as `path:line`; everything else was still read. */
  readonly errors: readonly BinfmtDError[];
}

/**
 * Read the binfmt.d configuration with systemd-binfmt's semantics (checked against
 * systemd 252): only `*.conf` files that are not hidden, a file in a higher folder
 * replacing every same-named file below it (a link to `/dev/null` or a directory
 * included), all files applied in byte order of their names whichever folder they come
 * from, and each file parsed line by line with {@link parseBinfmtDFile}. Missing folders
 * and dangling links are ignored, as systemd-binfmt ignores them.
 *
 * @example
 * const config = await readSystemdConfig();
 * const { winner } = matchFile({ bytes }, config.records.map((record) => ({ record, enabled: true })));
 */
export async function readSystemdConfig(options: ReadSystemdConfigOptions = {}): Promise<SystemdConfig> {
  const errors: BinfmtDError[] = [];
  const chosen = new Map<string, string>();

  for (const folder of options.roots ?? SYSTEMD_BINFMT_DIRECTORIES) {
    const path = join(options.root ?? '', folder);
    let names: string[];
    try {
      names = await readdir(path);
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') errors.push({ kind: 'io-failed', path, operation: 'list', code });
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.') || !name.endsWith('.conf') || chosen.has(name)) continue;
      chosen.set(name, join(path, name));
    }
  }

  const ordered = [...chosen.entries()].sort(([left], [right]) =>
    Buffer.compare(Buffer.from(left), Buffer.from(right)),
  );
  const files: SystemdConfigFile[] = [];
  let registered: BinfmtDRule[] = [];
  for (const [name, path] of ordered) {
    const masked = await isMasked(path);
    files.push({ name, path, masked });
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EISDIR') errors.push({ kind: 'not-a-file', path });
      else if (code !== 'ENOENT') errors.push({ kind: 'io-failed', path, operation: 'read', code });
      continue;
    }

    const parsed = parseBinfmtDFile(text, path);
    const events = [
      ...parsed.rules.map((rule) => ({ line: rule.line, rule, error: null })),
      ...parsed.errors.map((error) => ({ line: lineOf(error), rule: null, error })),
    ].sort((left, right) => left.line - right.line);
    for (const event of events) {
      if (event.rule !== null) {
        const { rule } = event;
        registered = registered.filter((entry) => entry.record.name !== rule.record.name);
        registered.push(rule);
        continue;
      }
      errors.push(event.error);
      // systemd-binfmt deletes the entry named by a rule before registering it, so a
      // rule the kernel rejects still removes an older entry of that name.
      const deleted = event.error.kind === 'invalid-line' ? ruleName(event.error.text) : null;
      if (deleted !== null) registered = registered.filter((entry) => entry.record.name !== deleted);
    }
  }
  return { files, records: registered.map((rule) => rule.record), rules: registered, errors };
}

async function isMasked(path: string): Promise<boolean> {
  try {
    return (await realpath(path)) === '/dev/null';
  } catch {
    return false;
  }
}

function lineOf(error: BinfmtDError): number {
  return error.kind === 'invalid-line' || error.kind === 'comment-delimiter' ? error.line : 0;
}

/**
 * Find the entry name systemd-binfmt deletes before it registers a line: the text between
 * the first character and its next occurrence. The result is `null`, and nothing is
 * deleted, when the name fails systemd's `filename_is_valid()` or is `register` or `status`.
 */
function ruleName(line: string): string | null {
  const delimiter = line[0];
  if (delimiter === undefined) return null;
  const end = line.indexOf(delimiter, 1);
  if (end === -1) return null;
  const name = line.slice(1, end);
  const valid =
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    Buffer.byteLength(name) <= 255 &&
    name !== 'register' &&
    name !== 'status';
  return valid ? name : null;
}
