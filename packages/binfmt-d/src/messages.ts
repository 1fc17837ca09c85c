import { describeIssue, describeValidationError } from '@qus/core';
import { match } from 'ts-pattern';
import type { BinfmtDError, DebianFileProblem, FileOperation } from './errors.js';

function quote(value: string): string {
  return JSON.stringify(value);
}

/** Long lines are cut in messages so that the location and the fix stay readable. */
function excerpt(text: string): string {
  return quote(text.length > 72 ? `${text.slice(0, 72)}…` : text);
}

function describeOperation(operation: FileOperation): string {
  return match(operation)
    .with('mkdir', () => 'creating folder')
    .with('create-temp', () => 'creating a temporary file in')
    .with('write', () => 'writing')
    .with('chmod', () => 'setting the mode of')
    .with('fsync', () => 'syncing')
    .with('rename', () => 'renaming the temporary file over')
    .with('unlink', () => 'deleting')
    .with('read', () => 'reading')
    .with('list', () => 'listing folder')
    .exhaustive();
}

function describeErrno(code: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; run as root or fix the permissions';
    case 'ELOOP':
      return 'too many levels of symbolic links; fix or delete the link';
    case 'ENOTDIR':
      return 'a part of the path is not a folder; fix the path';
    case 'ENOSPC':
      return 'no space left on the device; free some space';
    case 'EROFS':
      return 'the file system is read-only; choose a writable folder';
    case 'ENOENT':
      return 'no such file or folder; check the path';
    default:
      return `${code}; check the path and try again`;
  }
}

function describeDebianProblem(problem: DebianFileProblem): string {
  return match(problem)
    .with(
      { kind: 'package-missing' },
      () => 'the required "package" line is missing, so update-binfmts does not import it; add "package <name>"',
    )
    .with({ kind: 'magic-and-extension' }, () => 'it has both "magic" and "extension"; keep only one of them')
    .with({ kind: 'type-missing' }, () => 'it has neither "magic" nor "extension"; add one of them')
    .with(
      { kind: 'mask-or-offset-with-extension' },
      () => '"mask" and "offset" apply only to magic entries, but it has "extension"; remove them',
    )
    .with(
      { kind: 'interpreter-missing' },
      () => 'the "interpreter" line is missing; add the absolute path of the emulator',
    )
    .with(
      { kind: 'admin-line-count' },
      ({ count }) => `it has ${count} lines, but an admin file has 6 to 10; import the entry again with update-binfmts`,
    )
    .with(
      { kind: 'admin-type-invalid' },
      ({ value }) => `type ${quote(value)} is invalid; the second line must be "magic" or "extension"`,
    )
    .with({ kind: 'register-string' }, ({ issue }) => `the entry it describes is invalid: ${describeIssue(issue)}`)
    .exhaustive();
}

/**
 * Build the message for an error of this package: what failed, on which file, line or
 * record, and what to do.
 *
 * @example
 * describeBinfmtDError({ kind: 'not-a-file', path: '/etc/binfmt.d/qemu-arm.conf' })
 * // '/etc/binfmt.d/qemu-arm.conf is a folder, but a configuration file is expected there; …'
 */
export function describeBinfmtDError(error: BinfmtDError): string {
  return match(error)
    .with({ kind: 'invalid-record' }, (invalid) => describeValidationError(invalid))
    .with(
      { kind: 'unrepresentable-record', reason: 'open-binary-without-credentials' },
      ({ name }) =>
        `record ${quote(name)} has flag O without C, which a Debian import file cannot express ("credentials yes" gives OC); add C or drop O`,
    )
    .with(
      { kind: 'unrepresentable-record', reason: 'hidden-file-name' },
      ({ name }) =>
        `record name ${quote(name)} would give the hidden file ${quote(`${name}.conf`)}, which systemd-binfmt skips; choose a name that does not start with "."`,
    )
    .with(
      { kind: 'unrepresentable-record', reason: 'delimiter' },
      ({ name, value }) =>
        `record ${quote(name)}: delimiter ${quote(value)} starts a comment in binfmt.d files, so systemd-binfmt would skip the line; use ":"`,
    )
    .with(
      { kind: 'unrepresentable-record', reason: 'line-break' },
      ({ name, value, format }) =>
        `record ${quote(name)}: value ${quote(value)} contains a line break, which would split the line in a ${format} file; remove it`,
    )
    .with(
      { kind: 'unrepresentable-record', reason: 'trailing-whitespace' },
      ({ name, value }) =>
        `record ${quote(name)}: value ${quote(value)} ends in whitespace, which update-binfmts strips from every line; remove it`,
    )
    .with(
      { kind: 'duplicate-name' },
      ({ name }) => `two records are named ${quote(name)} and would share one file; give each record its own name`,
    )
    .with(
      { kind: 'invalid-line' },
      ({ path, line, text, issue }) =>
        `${path}:${line}: rule ${excerpt(text)} is invalid: ${describeIssue(issue)}. systemd-binfmt skips this line; fix or delete it`,
    )
    .with(
      { kind: 'comment-delimiter' },
      ({ path, line, text, delimiter }) =>
        `${path}:${line}: rule ${excerpt(text)} uses ${quote(delimiter)} as delimiter, so systemd-binfmt reads it as a comment and never registers it; use ":" as delimiter`,
    )
    .with(
      { kind: 'invalid-debian-file' },
      ({ file, name, problem }) => `${file} file ${quote(name)} is invalid: ${describeDebianProblem(problem)}`,
    )
    .with(
      { kind: 'not-a-file' },
      ({ path }) => `${path} is a folder, but a configuration file is expected there; delete or rename it`,
    )
    .with(
      { kind: 'io-failed' },
      ({ path, operation, code }) => `${describeOperation(operation)} ${path} failed: ${describeErrno(code)}`,
    )
    .with(
      { kind: 'file-conflict' },
      ({ path, existing, expected }) =>
        `${path} already exists with other content; pass force (or apply with replace) to overwrite it, or delete the file.\n` +
        `existing:\n${existing}expected:\n${expected}`,
    )
    .with(
      { kind: 'not-generated' },
      ({ path }) =>
        `${path} was not written by @qus/binfmt-d (its first line is not the generator header); pass force to delete it anyway`,
    )
    .exhaustive();
}
