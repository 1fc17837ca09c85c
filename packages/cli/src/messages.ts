import { statSync } from 'node:fs';
import {
  describeElfHeaderError,
  describeIssue,
  describePlanError,
  describeUnknownTarget,
  describeValidationError,
  type InvalidRegisterStringError,
  KERNEL_RULE_ERRNO,
} from '@qus/core';
import { match } from 'ts-pattern';
import type { CliError } from './errors.js';
import { withArticle } from './internal/article.js';

/** The usual mount point of the machine's binfmt_misc instance. */
export const DEFAULT_BINFMT_ROOT = '/proc/sys/fs/binfmt_misc';

const INSTALL_EMULATORS =
  'install the static emulators (Debian, Ubuntu: apt-get install qemu-user-static; Fedora: dnf install qemu-user-static) or pass --qemu-path DIR';

/** List the first three paths and count the rest. */
function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/** Build the one-paragraph message for a failed command: what failed, on which value, what to do. */
export function describeCliError(error: CliError): string {
  return match(error)
    .with({ kind: 'unknown-target' }, (e) => describeUnknownTarget(e))
    .with({ kind: 'unknown-host' }, (e) => describePlanError(e))
    .with({ kind: 'invalid-record' }, (e) => describeValidationError(e))
    .with({ kind: 'invalid-register-string' }, (e) => describeRegisterLineError(e))
    .with({ kind: 'elf' }, (e) => describeElfHeaderError(e.error))
    .with(
      { kind: 'native-target' },
      (e) =>
        `target "${e.target}" is this host's own CPU (${e.machine}); registering it would send every native program through the emulator: leave it out`,
    )
    .with(
      { kind: 'invalid-host-machine' },
      (e) =>
        `${e.source} "${e.machine}" is not a QEMU CPU; give the machine as "uname -m" prints it there (aarch64, x86_64, riscv64), or run "qus targets" to list the names`,
    )
    .with(
      { kind: 'no-targets' },
      (e) => `no targets given to "qus ${e.command}"; name targets (run "qus targets" to list them) or pass --all`,
    )
    .with({ kind: 'emulator-missing' }, (e) => `emulator for ${e.target} not found at ${e.path}; ${INSTALL_EMULATORS}`)
    .with({ kind: 'emulators-missing' }, (e) => {
      const which = e.missing === e.planned ? `all ${e.planned}` : `${e.missing} of ${e.planned}`;
      return `emulator not found for ${which} targets (${listPaths(e.paths)}), so nothing was registered; ${INSTALL_EMULATORS}`;
    })
    .with(
      { kind: 'backend-unavailable' },
      (e) =>
        `${e.feature} is not available yet: the installed ${e.packageName} does not provide it; update qus, or use "qus register --dry-run" to print the register lines`,
    )
    .with({ kind: 'backend' }, (e) => e.message)
    .with(
      { kind: 'entry-not-registered' },
      (e) => `no entry named "${e.name}" is registered, so nothing was removed; run "qus status" to list the entries`,
    )
    .with({ kind: 'missing-argument' }, (e) => `"qus ${e.command}" needs ${e.what}; see "qus ${e.command} --help"`)
    .exhaustive();
}

/** The minimum length of a register line (`:n:E::x::/i:`), as binfmt_misc checks it. */
const MIN_REGISTER_LINE_BYTES = 11;

/**
 * Show a register line as the user typed it: backslashes stay single, and only control
 * characters, which would break the message, are written as `\xHH`.
 */
export function showTypedLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Describe a register line the kernel would reject. Unlike core's wording, the message states whether
 * a line of the wrong length is too short or too long, and for a line that does not start
 * with ":" it explains that the first character is the delimiter.
 */
export function describeRegisterLineError(error: InvalidRegisterStringError): string {
  const { issue, text } = error;
  let detail = describeIssue(issue);
  if (issue.severity === 'kernel' && issue.rule === 'register-length') {
    const errno = KERNEL_RULE_ERRNO[issue.rule];
    const bytes = Number.parseInt(issue.value, 10);
    detail =
      bytes < MIN_REGISTER_LINE_BYTES
        ? `register line of ${issue.value} is too short (the minimum is ${MIN_REGISTER_LINE_BYTES} bytes); give every field: :name:type:offset:magic:mask:interpreter:flags (the kernel returns ${errno})`
        : `register line of ${issue.value} is too long (the maximum is ${issue.limit ?? 'unknown'} bytes); shorten the interpreter path or the magic (the kernel returns ${errno})`;
  }
  const delimiter = text.charAt(0);
  const delimiterMistake =
    issue.severity === 'kernel' && (issue.rule === 'type-invalid' || issue.rule === 'register-incomplete');
  if (delimiterMistake && delimiter !== ':' && delimiter !== '') {
    detail += `; the first character of a register line is its delimiter, so this line uses "${showTypedLine(delimiter)}": start it with ":" as in :name:type:offset:magic:mask:interpreter:flags`;
  }
  return `invalid register line "${showTypedLine(text)}": ${detail}`;
}

/** Return the errno code of a failed file system call, or `EIO` when it carries none. */
export function errnoCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'EIO';
}

/**
 * Describe a file or directory that could not be read, in words for the usual errno codes
 * and with the code for rare ones. `expected` is what the command needs at `path`.
 */
export function describeReadFailure(path: string, code: string, expected: 'file' | 'directory'): string {
  return match(code)
    .with('ENOENT', () => `${path}: ${expected} not found; check the path`)
    .with('EISDIR', () => `${path}: is a directory, not a file; name a file`)
    .with('ENOTDIR', () =>
      expected === 'directory' && isFile(path)
        ? `${path}: is a file, not a directory; name a directory, or leave out --recursive to inspect one file`
        : `${path}: a part of the path is not a directory; check the path`,
    )
    .with(
      'EACCES',
      'EPERM',
      () => `${path}: permission denied; check its permissions, or run as a user who may read it`,
    )
    .otherwise(() => `${path}: cannot be read (${code}); check the path and its permissions`);
}

/** Describe a file `qus lint` was given that is binary (an ELF program, for example), not a text configuration file. */
export function describeBinaryFile(path: string, bytes: Uint8Array): string {
  const elf = bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  const fix = 'name a binfmt.d file or a Debian binfmts import file';
  if (elf) {
    return `${path}: is an ELF program, not a text configuration file; ${fix}, or run "qus inspect ${path}" to see which entry would run it`;
  }
  return `${path}: is a binary file (it contains a NUL byte), not a text configuration file; ${fix}`;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The hint printed after every usage error from the argument parser. */
export const HELP_HINT = '(run with --help for usage and examples)';

/**
 * Describe emulators a plan found missing. A real run skips them when the host plan chose
 * the targets and some emulator exists, and `fails` (registering nothing) when the user
 * named the targets or no emulator exists.
 */
export function describeMissingEmulators(paths: readonly string[], fails: boolean): string {
  const effect = fails ? 'registering fails for them' : 'registering skips them';
  // i386 and i486 share qemu-i386: the count is of targets, the list names each path once.
  return `emulator not found for ${paths.length} target(s): ${listPaths([...new Set(paths)])}; ${effect}: ${INSTALL_EMULATORS}`;
}

/** Describe a file written for a target that is the planning host's own CPU. */
export function describeHostCpuEmitted(target: string, machine: string): string {
  return `target "${target}" is the host's own CPU (${machine}); its file would send every native program through the emulator on ${withArticle(machine)} machine, so apply it only on another machine, or pass --host-machine NAME to plan for that machine`;
}

/**
 * Describe how to mount binfmt_misc at `root`. The suggested qus command carries `--root`
 * unless `root` is the default, and a missing `root` must be created before anything can
 * be mounted on it. `mountOption` is true for commands that have `--mount` themselves.
 */
export function describeMountFix(root: string, mountOption: boolean, rootExists: boolean): string {
  const rootOption = root === DEFAULT_BINFMT_ROOT ? '' : ` --root ${root}`;
  const mount = `mount -t binfmt_misc binfmt_misc ${root}`;
  // "qus register --mount" also registers emulators, so commands without --mount name the
  // mount alone first.
  const fix = mountOption
    ? `run with --mount, or as root: ${mount}`
    : `as root: ${mount}, or run "qus register --mount${rootOption}" to mount and register the emulators this host needs`;
  return rootExists ? fix : `${root} does not exist, so create it first (mkdir -p ${root}), then ${fix}`;
}

/** Describe a binfmt_misc instance whose `status` reads `disabled`, and how to enable it. */
export function describeDisabledInstance(root: string): string {
  return `binfmt_misc at ${root} is disabled, so the kernel loads every program as a native one; nothing runs through binfmt_misc until "echo 1 > ${root}/status" (as root)`;
}

/** Describe a failure the top level caught that no command turned into a {@link CliError}. */
export function describeUnexpected(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return `internal error: ${text}; please report it with the command you ran`;
}
