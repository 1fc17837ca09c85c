import type { InvalidRecordError, ValidationIssue } from '@qus/core';

/** The step of an atomic write or a removal that failed. */
export type FileOperation =
  | 'mkdir'
  | 'create-temp'
  | 'write'
  | 'fsync'
  | 'chmod'
  | 'rename'
  | 'unlink'
  | 'read'
  | 'list';

/** The reason a Debian import or admin file yields no record. */
export type DebianFileProblem =
  | { readonly kind: 'package-missing' }
  | { readonly kind: 'magic-and-extension' }
  | { readonly kind: 'type-missing' }
  | { readonly kind: 'mask-or-offset-with-extension' }
  | { readonly kind: 'interpreter-missing' }
  | { readonly kind: 'admin-line-count'; readonly count: number }
  | { readonly kind: 'admin-type-invalid'; readonly value: string }
  | { readonly kind: 'register-string'; readonly issue: ValidationIssue };

/**
 * Every expected failure of this package, as plain data. `describeBinfmtDError` turns
 * one into a message.
 */
export type BinfmtDError =
  /** The record breaks a kernel rule, so no file that contains it can work. */
  | InvalidRecordError
  /** The record has a flag combination or name the target format cannot express. */
  | {
      readonly kind: 'unrepresentable-record';
      readonly name: string;
      readonly format: 'systemd' | 'debian';
      readonly reason:
        | 'open-binary-without-credentials'
        | 'hidden-file-name'
        | 'delimiter'
        | 'line-break'
        | 'trailing-whitespace';
      readonly value: string;
    }
  /** Two records in one call share a name, so they would share a file. */
  | { readonly kind: 'duplicate-name'; readonly name: string }
  /** A binfmt.d line the kernel would reject; systemd-binfmt skips it and applies the rest. */
  | {
      readonly kind: 'invalid-line';
      readonly path: string;
      readonly line: number;
      readonly text: string;
      readonly issue: ValidationIssue;
    }
  /** A binfmt.d line that is a valid rule written with `#` or `;` as delimiter, which systemd reads as a comment. */
  | {
      readonly kind: 'comment-delimiter';
      readonly path: string;
      readonly line: number;
      readonly text: string;
      readonly delimiter: string;
    }
  /** A Debian import file (`/usr/share/binfmts`) or admin file (`/var/lib/binfmts`) that yields no record. */
  | {
      readonly kind: 'invalid-debian-file';
      readonly file: 'import' | 'admin';
      readonly name: string;
      readonly problem: DebianFileProblem;
    }
  /** A configuration path that is a directory where a file must be. */
  | { readonly kind: 'not-a-file'; readonly path: string }
  /** A file or directory that could not be read or written; `code` is the errno name. */
  | {
      readonly kind: 'io-failed';
      readonly path: string;
      readonly operation: FileOperation;
      readonly code: string;
    }
  /** The file exists with other content and neither `force` nor `replace` was given. */
  | {
      readonly kind: 'file-conflict';
      readonly path: string;
      readonly name: string;
      readonly existing: string;
      readonly expected: string;
    }
  /** The file to remove was not written by this package and `force` was not given. */
  | { readonly kind: 'not-generated'; readonly path: string; readonly name: string };
