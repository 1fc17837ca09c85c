import type { ApplyOptions, BinfmtBackend, BinfmtRecord } from '@qus/core';
import type { Result } from 'neverthrow';
import type { BinfmtDError } from './errors.js';
import type { FileApplyReport, FilePlan } from './file-plan.js';

/** Options shared by the systemd and Debian backends. */
export interface FileBackendOptions {
  /**
   * Overwrite files that exist with other content, and remove files this package did
   * not write. `apply(records, { replace: true })` overwrites too.
   * @default false
   */
  readonly force?: boolean;
  /**
   * After a successful apply, delete the files in the folder that carry this package's
   * header and are not for one of the applied records.
   * @default false
   */
  readonly prune?: boolean;
}

/**
 * A backend that keeps one file per record in a folder. `apply` writes each file
 * atomically with mode 0644; `apply(…, { dryRun: true })` and `planFiles` return the
 * diff without writing.
 */
export interface FileBackend extends BinfmtBackend<BinfmtDError> {
  /** The folder the backend writes to. */
  readonly directory: string;
  /** Write one file per record; a file with the same content is left untouched and reported `unchanged`. */
  apply(records: readonly BinfmtRecord[], options?: ApplyOptions): Promise<Result<FileApplyReport, BinfmtDError>>;
  /** Compute the files `apply` would write, replace and prune, with their diffs, without writing. */
  planFiles(
    records: readonly BinfmtRecord[],
    options?: Pick<ApplyOptions, 'replace'>,
  ): Promise<Result<FilePlan, BinfmtDError>>;
  /** Delete the files of the named entries; files without this package's header only with `force`. */
  remove(names: readonly string[]): ReturnType<BinfmtBackend<BinfmtDError>['remove']>;
}
