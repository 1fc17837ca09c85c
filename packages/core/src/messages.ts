import { match } from 'ts-pattern';
import type { DeriveError } from './derive.js';
import type { ElfHeaderError } from './elf-header.js';
import type { InvalidEntryStatusError } from './entry-status.js';
import type { KernelVersionError } from './kernel.js';
import type { PlanError } from './plan.js';
import type { InvalidRegisterStringError } from './register-string.js';
import type { UnknownTargetError } from './resolve-target.js';
import { type InvalidRecordError, KERNEL_RULE_ERRNO, type ValidationIssue } from './validate.js';

function quote(value: string): string {
  return JSON.stringify(value);
}

/**
 * Describe one broken rule: the field, the value, why it fails and how to fix it.
 *
 * @example
 * describeIssue(issue) // 'name "a/b" contains "/": the kernel rejects it (EINVAL); choose a name without "/"'
 */
export function describeIssue(issue: ValidationIssue): string {
  if (issue.severity === 'kernel') {
    const errno = KERNEL_RULE_ERRNO[issue.rule];
    const value = quote(issue.value);
    const limit = issue.limit ?? 0;
    const text = match(issue.rule)
      .with('register-length', () =>
        Number.parseInt(issue.value, 10) < 11
          ? `register string of ${issue.value} is too short (at least 11 bytes); give every field: :name:type:offset:magic:mask:interpreter:flags`
          : `register string of ${issue.value} is too long (at most ${limit} bytes); shorten the interpreter path or the magic`,
      )
      .with(
        'register-incomplete',
        () =>
          `register string ends inside the ${issue.field} field; every field needs its delimiter, including the one after the interpreter`,
      )
      .with(
        'delimiter-invalid',
        () =>
          `delimiter ${value} is invalid; use one printable ASCII character that is not a letter, a digit, a space or a backslash, such as ":"`,
      )
      .with('name-empty', () => 'name is empty; give the entry a name such as "qemu-aarch64"')
      .with('name-dot', () => `name ${value} is not allowed; choose another name`)
      .with('name-slash', () => `name ${value} contains "/"; choose a name without "/"`)
      .with('name-nul', () => `name ${value} contains a NUL byte; remove it`)
      .with('name-reserved', () => `name ${value} is reserved by binfmt_misc; choose another name`)
      .with('name-too-long', () => `name ${value} is longer than ${limit} bytes; shorten it`)
      .with(
        'type-invalid',
        () => `type ${value} is invalid; use "M" (magic) or "E" (extension), followed by the delimiter`,
      )
      .with(
        'offset-invalid',
        () => `offset ${value} is invalid; use a decimal number from 0 up, or leave it empty for 0`,
      )
      .with(
        'escape-invalid',
        () => `${issue.field} escape ${value} is invalid; write each byte as \\x followed by two hex digits`,
      )
      .with('magic-empty', () => 'magic is empty; give the bytes to match')
      .with('mask-length', () => `mask has ${issue.value}; give exactly one mask byte per magic byte, or no mask`)
      .with(
        'magic-too-long',
        () => `magic of ${issue.value} is longer than the kernel's ${limit}-byte buffer; shorten it`,
      )
      .with(
        'magic-beyond-buffer',
        () => `${issue.value} ends past the kernel's ${limit}-byte buffer; lower the offset or shorten the magic`,
      )
      .with('extension-empty', () => 'extension is empty; give the text after the last "." without the dot')
      .with('extension-slash', () => `extension ${value} contains "/"; remove it`)
      .with('extension-nul', () => `extension ${value} contains a NUL byte; remove it`)
      .with('interpreter-empty', () => 'interpreter is empty; give the absolute path of the emulator')
      .with('interpreter-nul', () => `interpreter ${value} contains a NUL byte; remove it`)
      .with(
        'field-contains-delimiter',
        () => `${issue.field} ${value} contains the delimiter; choose another delimiter or remove the character`,
      )
      .with(
        'flags-invalid',
        () => `flags ${value} are invalid; use only the letters P, O, C and F, optionally followed by one newline`,
      )
      .with('fix-binary-unsupported', () => 'flag F needs Linux 4.8 or later; drop F or upgrade the kernel')
      .exhaustive();
    return `${text} (the kernel returns ${errno})`;
  }
  const value = quote(issue.value);
  return match(issue.rule)
    .with(
      'name-whitespace',
      () =>
        `name ${value} contains whitespace or a control character, which breaks shell scripts and config files; choose a name without them`,
    )
    .with(
      'name-colon',
      () => `name ${value} contains ":", which systemd and Debian files cannot express; choose a name without ":"`,
    )
    .with(
      'interpreter-relative',
      () =>
        `interpreter ${value} is a relative path, which the kernel resolves against each caller's working directory; give an absolute path`,
    )
    .with(
      'interpreter-whitespace',
      () =>
        `interpreter ${value} contains whitespace or a control character; the kernel takes it as one path, not a command line: give the path alone`,
    )
    .with(
      'extension-dot',
      () =>
        `extension ${value} contains ".", so it can never match (the kernel compares the text after the last "."); remove the dot`,
    )
    .with('extension-whitespace', () => `extension ${value} contains whitespace or a control character; remove it`)
    .with(
      'mask-matches-everything',
      () =>
        'mask is all zero bytes, so the entry would run every file through its interpreter; give a mask that tests the magic',
    )
    .with(
      'credentials-interpreter-unsafe',
      () =>
        `interpreter ${value} (${issue.detail ?? 'owner and mode unknown'}) would run setuid programs as their owner (flag C), but it is not owned by root or is writable by group or others; fix its owner and mode, or drop C`,
    )
    .with(
      'preserve-argv0-unsupported',
      () =>
        'flag P needs Linux 5.12 or later, or a Debian "-binfmt-P" interpreter, or the guest gets an extra argument; drop P or use the Debian layout',
    )
    .exhaustive();
}

/** Describe a rejected record, one line per issue. */
export function describeValidationError(error: InvalidRecordError): string {
  const lines = error.issues.map((issue) => `  - ${describeIssue(issue)}`);
  return `record ${quote(error.name)} is invalid:\n${lines.join('\n')}`;
}

/** Describe a register string the kernel would reject. */
export function describeRegisterStringError(error: InvalidRegisterStringError): string {
  return `invalid register string ${quote(error.text)}: ${describeIssue(error.issue)}`;
}

/** Describe an entry status file that could not be read. */
export function describeEntryStatusError(error: InvalidEntryStatusError): string {
  return `entry ${quote(error.name)}, line ${error.line} (${quote(error.text)}): ${error.reason}`;
}

/** Describe why a file's ELF header could not be read. */
export function describeElfHeaderError(error: ElfHeaderError): string {
  const where = (path: string | null): string => (path === null ? 'the given bytes' : path);
  return match(error)
    .with({ kind: 'not-found' }, (e) => `${e.path}: file not found; check the path`)
    .with({ kind: 'unreadable' }, (e) => `${e.path}: cannot be read (${e.code}); check its permissions`)
    .with({ kind: 'is-directory' }, (e) => `${e.path}: is a directory, not a program; name a file`)
    .with(
      { kind: 'not-regular-file' },
      (e) => `${e.path}: is a ${e.fileType.replace('-', ' ')}, not a regular file; name a program file`,
    )
    .with(
      { kind: 'not-elf' },
      (e) =>
        `${where(e.path)}: not an ELF file (it starts with ${e.prefix.slice(0, 8) || 'nothing'}); name a compiled program, not a script or archive`,
    )
    .with({ kind: 'truncated' }, (e) =>
      e.size === 0
        ? `${where(e.path)}: is an empty file (0 bytes), not a program; name a compiled program`
        : `${where(e.path)}: ELF header truncated at ${e.size} bytes (needs ${e.needed}); the file is damaged or incomplete`,
    )
    .with(
      { kind: 'invalid-class' },
      (e) =>
        `${where(e.path)}: invalid ELF class ${e.value} (expected 1 for 32-bit or 2 for 64-bit); the file is damaged`,
    )
    .with(
      { kind: 'invalid-byte-order' },
      (e) => `${where(e.path)}: invalid ELF byte order ${e.value} (expected 1 or 2); the file is damaged`,
    )
    .with({ kind: 'invalid-program-headers' }, (e) => `${where(e.path)}: invalid program headers: ${e.reason}`)
    .exhaustive();
}

/** Describe an unknown target name with the closest accepted names. */
export function describeUnknownTarget(error: UnknownTargetError): string {
  const hint =
    error.suggestions.length > 0
      ? `did you mean ${error.suggestions.map(quote).join(', ')}?`
      : 'run "qus targets" to list every accepted name';
  return `unknown target ${quote(error.name)}: ${hint}`;
}

/** Describe why no host plan could be made. */
export function describePlanError(error: PlanError): string {
  return match(error)
    .with(
      { kind: 'unknown-host' },
      (e) => `host machine ${quote(e.machine)} is not a QEMU CPU; name the targets to register explicitly`,
    )
    .with({ kind: 'unknown-target' }, (e) => describeUnknownTarget(e))
    .exhaustive();
}

/** Describe a header no magic/mask pair is derived from. */
export function describeDeriveError(error: DeriveError): string {
  return `ELF type ${error.type} is not an executable (expected 2, ET_EXEC, or 3, ET_DYN); name a program, not an object file or core dump`;
}

/** Describe a `uname -r` text that could not be read. */
export function describeKernelVersionError(error: KernelVersionError): string {
  return `kernel release ${quote(error.release)} does not start with MAJOR.MINOR; pass the output of "uname -r"`;
}
