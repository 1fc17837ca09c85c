import type { BinfmtRecord, InstalledEntry, InvalidEntryStatusError, ValidationIssue } from '@qus/core';

/** Nothing of type binfmt_misc is mounted at the root, but the kernel supports the filesystem. */
export interface NotMountedError {
  readonly kind: 'not-mounted';
  readonly root: string;
}

/** The kernel lists no `binfmt_misc` filesystem in `/proc/filesystems`. */
export interface NoBinfmtSupportError {
  readonly kind: 'no-binfmt-support';
  readonly root: string;
}

/** The process may not mount, open or write a binfmt_misc file (EACCES or EPERM before any record is parsed). */
export interface PermissionError {
  readonly kind: 'permission';
  readonly path: string;
  readonly operation: 'mount' | 'open' | 'read' | 'write';
  readonly code: string;
}

/** `mount -t binfmt_misc` failed for a reason other than permission. */
export interface MountFailedError {
  readonly kind: 'mount-failed';
  readonly root: string;
  /** Output of `mount`, trimmed. */
  readonly detail: string;
}

/**
 * A record that breaks a rule, found by the local validator before writing or rejected by
 * the kernel with EINVAL. After EINVAL, `issues` contains what the validator finds, which
 * may be nothing.
 */
export interface InvalidRecordProcfsError {
  readonly kind: 'invalid-record';
  readonly name: string;
  readonly issues: readonly ValidationIssue[];
  readonly rejectedBy: 'validation' | 'kernel';
}

/** A different entry already has the record's name (EEXIST). */
export interface EntryExistsError {
  readonly kind: 'entry-exists';
  readonly name: string;
  /** The entry in the kernel, or `null` when it vanished before it could be read. */
  readonly existing: InstalledEntry | null;
  readonly requested: BinfmtRecord;
}

/** The kernel could not find the interpreter of an `F` record when it opened it (ENOENT). */
export interface InterpreterNotFoundError {
  readonly kind: 'interpreter-not-found';
  readonly name: string;
  readonly interpreter: string;
}

/**
 * The kernel could not execute the interpreter of an `F` record (EACCES): a directory, a
 * file without execute permission, or a file on a `noexec` mount.
 */
export interface InterpreterNotExecutableError {
  readonly kind: 'interpreter-not-executable';
  readonly name: string;
  readonly interpreter: string;
}

/** A write to a binfmt_misc file returned EPERM. */
export interface OperationNotPermittedError {
  readonly kind: 'operation-not-permitted';
  readonly path: string;
  readonly name: string;
}

/** A binfmt_misc file returned ENODEV: the instance went away while it was used. */
export interface NoDeviceError {
  readonly kind: 'no-device';
  readonly path: string;
}

/** The kernel rejected an entry name longer than 255 bytes (ENAMETOOLONG). */
export interface NameTooLongError {
  readonly kind: 'name-too-long';
  readonly name: string;
  /** Length of the name in bytes. */
  readonly length: number;
}

/**
 * The running kernel lacks what a record needs: `F` before Linux 4.8, a magic past the
 * 128-byte buffer before Linux 5.1, or `P` before Linux 5.12 without a Debian
 * `-binfmt-P` interpreter (the guest would get an extra argument).
 */
export interface KernelFeatureError {
  readonly kind: 'kernel-feature';
  readonly name: string;
  readonly feature: 'fix-binary' | 'buffer-size' | 'preserve-argv0';
  readonly release: string;
}

/** The kernel release text does not start with `MAJOR.MINOR`. */
export interface InvalidKernelReleaseError {
  readonly kind: 'invalid-kernel-release';
  readonly release: string;
}

/** An entry file whose text could not be parsed. */
export interface InvalidEntryError {
  readonly kind: 'invalid-entry';
  readonly path: string;
  readonly error: InvalidEntryStatusError;
}

/** `removeAll` was called without `confirm: true`. */
export interface ConfirmationRequiredError {
  readonly kind: 'confirmation-required';
  readonly root: string;
}

/** A write that the kernel accepted only in part, so it did not apply it as one command. */
export interface ShortWriteError {
  readonly kind: 'short-write';
  readonly path: string;
  readonly written: number;
  readonly expected: number;
}

/** Any other system error, with its code (ETXTBSY, ELOOP, ENOMEM, …). */
export interface SystemError {
  readonly kind: 'system-error';
  readonly path: string;
  readonly operation: 'open' | 'read' | 'write' | 'mount';
  readonly code: string;
  readonly message: string;
}

/** Every failure of the procfs backend, one kind per cause. */
export type ProcfsError =
  | NotMountedError
  | NoBinfmtSupportError
  | PermissionError
  | MountFailedError
  | InvalidRecordProcfsError
  | EntryExistsError
  | InterpreterNotFoundError
  | InterpreterNotExecutableError
  | OperationNotPermittedError
  | NoDeviceError
  | NameTooLongError
  | KernelFeatureError
  | InvalidKernelReleaseError
  | InvalidEntryError
  | ConfirmationRequiredError
  | ShortWriteError
  | SystemError;
