import type { ApplyReport } from '@qus/core';
import type { BinfmtDError } from './errors.js';

/** The change that applying records makes to one file. */
export type FileAction = 'create' | 'replace' | 'unchanged' | 'prune';

/** One file of a plan, with the text before and after and their unified diff. */
export interface FileChange {
  readonly path: string;
  /** The entry name the file is for. */
  readonly name: string;
  readonly action: FileAction;
  /** The file's content before, or `null` when it does not exist. */
  readonly previous: string | null;
  /** The file's content after, or `null` when it is pruned. */
  readonly content: string | null;
  /** Unified diff from `previous` to `content`; empty when the file is unchanged. */
  readonly diff: string;
}

/** The result of {@link FileBackend.planFiles}: the changes to make and the records that cannot be written. */
export interface FilePlan {
  /** The folder the files are in. */
  readonly directory: string;
  /** Files for records, in the order of the records, then files to prune. */
  readonly changes: readonly FileChange[];
  /** Records that would fail: invalid, or a file with other content and no `force`. */
  readonly failures: readonly { readonly name: string; readonly error: BinfmtDError }[];
}

/**
 * The result of {@link FileBackend.apply}: core's report plus the files. In a dry run
 * `outcomes` give the status every record would get, `changes` list every planned change
 * with its diff, and nothing is written.
 */
export interface FileApplyReport extends ApplyReport<BinfmtDError> {
  readonly dryRun: boolean;
  /** The changes made (in a dry run: planned), unchanged files included; rolled-back changes excluded. */
  readonly changes: readonly FileChange[];
  /** Generated files that pruning could not delete. */
  readonly pruneFailures: readonly { readonly path: string; readonly error: BinfmtDError }[];
}
