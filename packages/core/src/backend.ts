import type { Result } from 'neverthrow';
import type { BinfmtRecord, InstalledEntry } from './record.js';

/**
 * The action a backend takes when one record fails: stop there, go on with the rest, or undo
 * everything this call changed.
 */
export type OnError = 'stop' | 'continue' | 'rollback';

/** Options every backend accepts in {@link BinfmtBackend.apply}. */
export interface ApplyOptions {
  /**
   * Replace an existing entry of the same name that differs. Without it such an entry is
   * a failure that shows both.
   * @default false
   */
  readonly replace?: boolean;
  /** @default 'stop' */
  readonly onError?: OnError;
  /**
   * Report what would change without changing anything.
   * @default false
   */
  readonly dryRun?: boolean;
}

/** The outcome of one record. */
export type RecordOutcome<E> =
  | { readonly name: string; readonly status: 'registered' | 'unchanged' | 'replaced' }
  | { readonly name: string; readonly status: 'failed'; readonly error: E }
  /** Not attempted, because an earlier record failed with `onError: 'stop'` or `'rollback'`. */
  | { readonly name: string; readonly status: 'skipped' }
  /** Applied, then undone by a rollback. */
  | { readonly name: string; readonly status: 'rolled-back' };

/** Something the caller should know before or after a change that is not a failure. */
export interface BackendWarning {
  /** A stable identifier, such as `overlap` or `native-target`. */
  readonly kind: string;
  /** The entry it concerns, if any. */
  readonly name?: string;
  /** The complete sentence to show a user. */
  readonly message: string;
}

/** The result of {@link BinfmtBackend.apply}. */
export interface ApplyReport<E> {
  readonly outcomes: readonly RecordOutcome<E>[];
  readonly warnings: readonly BackendWarning[];
  /** Whether a rollback ran; then `outcomes` show what it undid. */
  readonly rolledBack: boolean;
  /** Failures of the rollback itself, which leave changes in place that the caller must know of. */
  readonly rollbackFailures: readonly { readonly name: string; readonly error: E }[];
}

/** The entries a backend contains, and whether it is active. */
export interface BackendState {
  /** Entries in the order they are registered or would be registered, oldest first. */
  readonly entries: readonly InstalledEntry[];
  /** Whether the whole backend is active (for the kernel: `status` reads `enabled`). */
  readonly enabled: boolean;
}

/** The result of {@link BinfmtBackend.remove}. */
export interface RemoveReport<E> {
  readonly removed: readonly string[];
  /** Names that had no entry. */
  readonly missing: readonly string[];
  readonly failed: readonly { readonly name: string; readonly error: E }[];
}

/**
 * The contract every backend implements (the live kernel, binfmt.d files, Debian
 * binfmts files), so that callers apply and read records the same way everywhere.
 * Expected failures come back as `Err` values of the backend's own error union `E`;
 * {@link BinfmtBackend.describeError} turns one into a sentence for users.
 */
export interface BinfmtBackend<E> {
  /** A short name for messages, such as `procfs` or `systemd`. */
  readonly name: string;
  /** Apply records in order; each becomes the newest entry. */
  apply(records: readonly BinfmtRecord[], options?: ApplyOptions): Promise<Result<ApplyReport<E>, E>>;
  /** Read every entry, including those other tools made. */
  read(): Promise<Result<BackendState, E>>;
  /** Remove the named entries, and only those. */
  remove(names: readonly string[]): Promise<Result<RemoveReport<E>, E>>;
  /** Build the message for an error: what failed, on which value, and what to do. */
  describeError(error: E): string;
}
