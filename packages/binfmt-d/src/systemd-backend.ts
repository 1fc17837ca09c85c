import type { BackendState, BinfmtRecord } from '@qus/core';
import { ok, type Result } from 'neverthrow';
import type { BinfmtDError } from './errors.js';
import type { FileBackend, FileBackendOptions } from './file-backend.js';
import type { AtomicWriteSteps } from './internal/atomic-write.js';
import { applyFiles, type FileFormat, planFiles, removeFiles } from './internal/file-store.js';
import { describeBinfmtDError } from './messages.js';
import { readSystemdConfig, SYSTEMD_BINFMT_DIRECTORIES, type SystemdConfig } from './systemd-config.js';
import { formatSystemdFile } from './systemd-file.js';

/** Options of {@link createSystemdBackend}. */
export interface SystemdBackendOptions extends FileBackendOptions {
  /**
   * The folder to write `<name>.conf` files to, such as `/run/binfmt.d` for files that
   * last until the next reboot, or any folder.
   * @default '/etc/binfmt.d'
   */
  readonly directory?: string;
  /**
   * Folders `read()` reads, highest precedence first.
   * @default all four systemd folders when `directory` is one of them, else `[directory]`
   */
  readonly readRoots?: readonly string[];
}

/** The state the systemd backend reads: the entries systemd-binfmt would register at boot. */
export interface SystemdState extends BackendState {
  /** The whole configuration read, with the files in the order they apply. */
  readonly config: SystemdConfig;
  /** Unreadable files and bad lines; every other line is in `entries`. */
  readonly errors: readonly BinfmtDError[];
}

/** The systemd binfmt.d backend. */
export interface SystemdBackend extends FileBackend {
  /** Read the binfmt.d configuration, in the order systemd-binfmt registers it. */
  read(): Promise<Result<SystemdState, BinfmtDError>>;
}

/** @internal */
export const SYSTEMD_FORMAT: FileFormat = {
  fileName: (name) => `${name}.conf`,
  entryName: (fileName) => (fileName.endsWith('.conf') && !fileName.startsWith('.') ? fileName.slice(0, -5) : null),
  format: (record: BinfmtRecord) => formatSystemdFile(record),
};

/**
 * Create a backend that keeps each record in `<directory>/<name>.conf` (for QEMU
 * records `qemu-<cpu>.conf`, as `qemu-binfmt-conf.sh --systemd` names them), which
 * systemd-binfmt registers at every boot. Nothing is registered now: apply the same
 * records with the procfs backend for that.
 *
 * @example
 * const backend = createSystemdBackend({ directory: '/etc/binfmt.d', prune: true });
 * const report = await backend.apply(records, { dryRun: true });
 * report.map((r) => r.changes.map((change) => change.diff).join(''));
 */
export function createSystemdBackend(options: SystemdBackendOptions = {}): SystemdBackend {
  return createSystemdBackendWithSteps(options);
}

/**
 * {@link createSystemdBackend} with replaceable write steps, for tests that simulate a crash.
 *
 * @internal
 */
export function createSystemdBackendWithSteps(
  options: SystemdBackendOptions,
  steps?: AtomicWriteSteps,
): SystemdBackend {
  const directory = options.directory ?? '/etc/binfmt.d';
  const store = {
    directory,
    force: options.force ?? false,
    prune: options.prune ?? false,
    ...(steps === undefined ? {} : { steps }),
  };
  const readRoots =
    options.readRoots ?? (SYSTEMD_BINFMT_DIRECTORIES.includes(directory) ? SYSTEMD_BINFMT_DIRECTORIES : [directory]);
  return {
    name: 'systemd',
    directory,
    apply: (records, applyOptions = {}) => applyFiles(records, SYSTEMD_FORMAT, store, applyOptions),
    planFiles: (records, planOptions = {}) => planFiles(records, SYSTEMD_FORMAT, store, planOptions.replace ?? false),
    read: async () => {
      const config = await readSystemdConfig({ roots: readRoots });
      return ok({
        entries: config.records.map((record) => ({ record, enabled: true })),
        enabled: true,
        config,
        errors: config.errors,
      });
    },
    remove: (names) => removeFiles(names, SYSTEMD_FORMAT, store),
    describeError: describeBinfmtDError,
  };
}
