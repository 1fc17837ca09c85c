import { err, ok, type Result } from 'neverthrow';
import { renderRegisterString } from './internal/render.js';
import type { KernelFeatures } from './kernel.js';
import type { BinfmtRecord } from './record.js';

/** The part of a register string or record that a {@link ValidationIssue} concerns. */
export type RecordField =
  | 'register-string'
  | 'name'
  | 'type'
  | 'offset'
  | 'magic'
  | 'mask'
  | 'extension'
  | 'interpreter'
  | 'flags';

/**
 * Rules the kernel enforces. A record or string that breaks one is rejected by
 * `write()` on `register` with the errno in {@link KERNEL_RULE_ERRNO}.
 */
export type KernelRule =
  | 'register-length'
  | 'delimiter-invalid'
  | 'register-incomplete'
  | 'name-empty'
  | 'name-dot'
  | 'name-slash'
  | 'name-nul'
  | 'name-reserved'
  | 'name-too-long'
  | 'type-invalid'
  | 'offset-invalid'
  | 'escape-invalid'
  | 'magic-empty'
  | 'mask-length'
  | 'magic-too-long'
  | 'magic-beyond-buffer'
  | 'extension-empty'
  | 'extension-slash'
  | 'extension-nul'
  | 'interpreter-empty'
  | 'interpreter-nul'
  | 'field-contains-delimiter'
  | 'flags-invalid'
  | 'fix-binary-unsupported';

/**
 * Rules of this library that are stricter than the kernel: the kernel accepts the
 * record, but it never works or is dangerous.
 */
export type SafetyRule =
  | 'name-whitespace'
  | 'name-colon'
  | 'interpreter-relative'
  | 'interpreter-whitespace'
  | 'extension-dot'
  | 'extension-whitespace'
  | 'mask-matches-everything'
  | 'credentials-interpreter-unsafe'
  | 'preserve-argv0-unsupported';

/** Errno of each kernel rule, as `write()` on `register` returns it. */
export const KERNEL_RULE_ERRNO: Readonly<Record<KernelRule, 'EINVAL' | 'EEXIST' | 'ENAMETOOLONG'>> = {
  'register-length': 'EINVAL',
  'delimiter-invalid': 'EINVAL',
  'register-incomplete': 'EINVAL',
  'name-empty': 'EINVAL',
  'name-dot': 'EINVAL',
  'name-slash': 'EINVAL',
  'name-nul': 'EINVAL',
  'name-reserved': 'EEXIST',
  'name-too-long': 'ENAMETOOLONG',
  'type-invalid': 'EINVAL',
  'offset-invalid': 'EINVAL',
  'escape-invalid': 'EINVAL',
  'magic-empty': 'EINVAL',
  'mask-length': 'EINVAL',
  'magic-too-long': 'EINVAL',
  'magic-beyond-buffer': 'EINVAL',
  'extension-empty': 'EINVAL',
  'extension-slash': 'EINVAL',
  'extension-nul': 'EINVAL',
  'interpreter-empty': 'EINVAL',
  'interpreter-nul': 'EINVAL',
  'field-contains-delimiter': 'EINVAL',
  'flags-invalid': 'EINVAL',
  'fix-binary-unsupported': 'EINVAL',
};

/** One broken rule: which field, which value, and whether the kernel or this library rejects it. */
export type ValidationIssue =
  | {
      readonly severity: 'kernel';
      readonly rule: KernelRule;
      readonly field: RecordField;
      /** The offending value as text (escaped where it contains raw bytes). */
      readonly value: string;
      /** The limit that was crossed, for rules that have one (bytes). */
      readonly limit?: number;
    }
  | {
      readonly severity: 'safety';
      readonly rule: SafetyRule;
      readonly field: RecordField;
      readonly value: string;
      /** Facts found about the value, such as an interpreter's owner and mode. */
      readonly detail?: string;
    };

/** A record that breaks one or more rules. */
export interface InvalidRecordError {
  readonly kind: 'invalid-record';
  readonly name: string;
  readonly issues: readonly ValidationIssue[];
}

/** Owner and mode of an interpreter file, for the rules that need them. */
export interface InterpreterFileInfo {
  readonly uid: number;
  /** `st_mode`, permission bits included. */
  readonly mode: number;
}

/** Options of {@link validateRecord} and {@link findRecordIssues}. */
export interface ValidationOptions {
  /**
   * Features of the kernel the record is meant for; without it the rules of current
   * kernels apply (256-byte buffer, `F` supported) and `P` is not checked.
   */
  readonly kernel?: KernelFeatures;
  /**
   * Delimiter the record will be written with.
   * @default ':'
   */
  readonly delimiter?: string;
  /**
   * Also apply the {@link SafetyRule}s.
   * @default true
   */
  readonly strict?: boolean;
  /** The interpreter's owner and mode, when the caller has the file: enables the `C` ownership rule. */
  readonly interpreterFile?: InterpreterFileInfo;
}

/** Maximum length of a register write (`MAX_REGISTER_LENGTH`), trailing newline included. */
export const MAX_REGISTER_LENGTH = 1920;
/** Maximum length of an entry name (`NAME_MAX`), in bytes. */
export const MAX_NAME_LENGTH = 255;
/** Largest offset `kstrtoint` accepts (`INT_MAX`). */
const MAX_OFFSET = 2 ** 31 - 1;

const encoder = new TextEncoder();
const FLAG_LETTERS: readonly string[] = ['P', 'O', 'C', 'F'];

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Whitespace and control characters: legal for the kernel, but they break shells, logs and config files. */
function hasWhitespaceOrControl(text: string): boolean {
  return /[\s\p{Cc}]/u.test(text);
}

/** Issues of the entry name, shared by records and parsed register strings. @internal */
export function nameIssues(name: string, delimiter: string, strict: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const kernel = (rule: KernelRule, limit?: number): void => {
    issues.push(
      limit === undefined
        ? { severity: 'kernel', rule, field: 'name', value: name }
        : { severity: 'kernel', rule, field: 'name', value: name, limit },
    );
  };
  if (name === '') kernel('name-empty');
  if (name === '.' || name === '..') kernel('name-dot');
  if (name.includes('/')) kernel('name-slash');
  if (name.includes('\0')) kernel('name-nul');
  if (name.includes(delimiter) && name !== '') kernel('field-contains-delimiter');
  if (name === 'register' || name === 'status') kernel('name-reserved');
  if (byteLength(name) > MAX_NAME_LENGTH) kernel('name-too-long', MAX_NAME_LENGTH);
  if (strict) {
    if (hasWhitespaceOrControl(name)) {
      issues.push({ severity: 'safety', rule: 'name-whitespace', field: 'name', value: name });
    }
    if (name.includes(':') && delimiter !== ':') {
      issues.push({ severity: 'safety', rule: 'name-colon', field: 'name', value: name });
    }
  }
  return issues;
}

/**
 * List every rule a record breaks, kernel rules first. An empty list means the kernel
 * accepts the record and, with `strict`, that it passes this library's safety rules.
 */
export function findRecordIssues(record: BinfmtRecord, options: ValidationOptions = {}): ValidationIssue[] {
  const delimiter = options.delimiter ?? ':';
  const strict = options.strict ?? true;
  const bufferSize = options.kernel?.bufferSize ?? 256;
  const issues: ValidationIssue[] = nameIssues(record.name, delimiter, strict);
  const kernel = (rule: KernelRule, field: RecordField, value: string, limit?: number): void => {
    issues.push(
      limit === undefined
        ? { severity: 'kernel', rule, field, value }
        : { severity: 'kernel', rule, field, value, limit },
    );
  };
  // Linux 6.18 rejects a flag letter as delimiter.
  if (FLAG_LETTERS.includes(delimiter)) kernel('delimiter-invalid', 'register-string', delimiter);
  const safety = (rule: SafetyRule, field: RecordField, value: string): void => {
    if (strict) issues.push({ severity: 'safety', rule, field, value });
  };

  if (record.kind === 'magic') {
    const offsetText = String(record.offset);
    if (!Number.isInteger(record.offset) || record.offset < 0 || record.offset > MAX_OFFSET) {
      kernel('offset-invalid', 'offset', offsetText);
    }
    const size = record.magic.length;
    if (size === 0) kernel('magic-empty', 'magic', '');
    if (record.mask !== null && record.mask.length !== size) {
      kernel(
        'mask-length',
        'mask',
        `${record.mask.length} ${record.mask.length === 1 ? 'byte' : 'bytes'} for a ${size}-byte magic`,
        size,
      );
    }
    if (size > bufferSize) {
      kernel('magic-too-long', 'magic', `${size} bytes`, bufferSize);
    } else if (record.offset + size > bufferSize) {
      kernel('magic-beyond-buffer', 'offset', `offset ${record.offset} + ${size} bytes`, bufferSize);
    }
    if (record.mask !== null && record.mask.length > 0 && record.mask.every((byte) => byte === 0)) {
      safety('mask-matches-everything', 'mask', 'all zero');
    }
  } else {
    const extension = record.extension;
    if (extension === '') kernel('extension-empty', 'extension', extension);
    if (extension.includes('/')) kernel('extension-slash', 'extension', extension);
    if (extension.includes('\0')) kernel('extension-nul', 'extension', extension);
    if (extension.includes(delimiter) && extension !== '') {
      kernel('field-contains-delimiter', 'extension', extension);
    }
    if (extension.includes('.')) safety('extension-dot', 'extension', extension);
    if (hasWhitespaceOrControl(extension)) safety('extension-whitespace', 'extension', extension);
  }

  const interpreter = record.interpreter;
  if (interpreter === '') kernel('interpreter-empty', 'interpreter', interpreter);
  if (interpreter.includes('\0')) kernel('interpreter-nul', 'interpreter', interpreter);
  if (interpreter.includes(delimiter) && interpreter !== '') {
    kernel('field-contains-delimiter', 'interpreter', interpreter);
  }
  if (interpreter !== '' && !interpreter.startsWith('/')) {
    safety('interpreter-relative', 'interpreter', interpreter);
  }
  if (hasWhitespaceOrControl(interpreter)) safety('interpreter-whitespace', 'interpreter', interpreter);

  if (record.flags.fixBinary && options.kernel !== undefined && !options.kernel.fixBinary) {
    kernel('fix-binary-unsupported', 'flags', 'F', undefined);
  }
  if (
    record.flags.preserveArgv0 &&
    options.kernel !== undefined &&
    !options.kernel.preserveArgv0Flag &&
    !interpreter.endsWith('-binfmt-P')
  ) {
    safety('preserve-argv0-unsupported', 'flags', 'P');
  }
  if (record.flags.credentials && options.interpreterFile !== undefined) {
    const { uid, mode } = options.interpreterFile;
    if (uid !== 0 || (mode & 0o022) !== 0) {
      if (strict) {
        issues.push({
          severity: 'safety',
          rule: 'credentials-interpreter-unsafe',
          field: 'interpreter',
          value: interpreter,
          detail: `owner uid ${uid}, mode ${(mode & 0o7777).toString(8).padStart(4, '0')}`,
        });
      }
    }
  }

  // The length rule needs a writable string, so it is checked only when every field can be written.
  // It measures this library's spelling (`\xHH` escapes) plus the newline the backends add,
  // which can be longer than another spelling of the same record that the kernel accepts.
  const writable = !issues.some((issue) => issue.severity === 'kernel' && issue.rule !== 'name-reserved');
  if (writable) {
    const length = byteLength(renderRegisterString(record, delimiter)) + 1;
    if (length > MAX_REGISTER_LENGTH) {
      kernel('register-length', 'register-string', `${length} bytes`, MAX_REGISTER_LENGTH);
    }
  }
  return issues;
}

/**
 * Check a record against the kernel's rules and, unless `strict` is false, the stricter
 * safety rules. Returns the record unchanged when it passes.
 *
 * @example
 * validateRecord(record, { kernel: kernelFeatures(version) }).match(
 *   (valid) => apply(valid),
 *   (error) => console.error(describeValidationError(error)),
 * );
 */
export function validateRecord(
  record: BinfmtRecord,
  options: ValidationOptions = {},
): Result<BinfmtRecord, InvalidRecordError> {
  const issues = findRecordIssues(record, options);
  if (issues.length > 0) {
    return err({ kind: 'invalid-record', name: record.name, issues });
  }
  return ok(record);
}
