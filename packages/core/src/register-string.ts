import { err, ok, type Result } from 'neverthrow';
import { decodeEscapes, hexValue } from './internal/escape.js';
import { renderRegisterString } from './internal/render.js';
import type { KernelFeatures } from './kernel.js';
import { type BinfmtRecord, createExtensionRecord, createMagicRecord, NO_FLAGS } from './record.js';
import {
  findRecordIssues,
  type InvalidRecordError,
  type KernelRule,
  MAX_NAME_LENGTH,
  MAX_REGISTER_LENGTH,
  nameIssues,
  type RecordField,
  type ValidationIssue,
} from './validate.js';

/** A register string the kernel would reject, with the first rule it breaks. */
export interface InvalidRegisterStringError {
  readonly kind: 'invalid-register-string';
  /** The string as given (decoded as UTF-8 when bytes were given). */
  readonly text: string;
  readonly issue: ValidationIssue;
}

/** A parsed register string: the record and the delimiter it was written with. */
export interface ParsedRegisterString {
  readonly record: BinfmtRecord;
  readonly delimiter: string;
}

/** Options of {@link parseRegisterString}. */
export interface ParseRegisterStringOptions {
  /** Kernel to judge by; without it, current kernels (256-byte buffer). */
  readonly kernel?: KernelFeatures;
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

const FLAG_P = 0x50;
const FLAG_O = 0x4f;
const FLAG_C = 0x43;
const FLAG_F = 0x46;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const LETTER_X = 0x78;

class ParseFailure {
  constructor(
    readonly rule: KernelRule,
    readonly field: RecordField,
    readonly value: string,
    readonly limit?: number,
  ) {}
}

/**
 * Parse a register string exactly as `fs/binfmt_misc.c` (`create_entry`) does: the first
 * byte is the delimiter, fields are cut at the next delimiter or fail at a NUL byte, the
 * magic and mask may hold `\xHH` escapes, and the flags may be followed by one newline.
 * Besides the syntax, it applies the checks the kernel makes on the name when it creates
 * the file (`register`, `status`, more than 255 bytes) and the buffer-size rule.
 *
 * It does not open the interpreter, so an `F` entry whose interpreter is missing parses
 * here and fails in the kernel with ENOENT.
 *
 * @example
 * parseRegisterString(':qemu-arm:M::\\x7fELF:\\xff\\xff\\xff\\xff:/usr/bin/qemu-arm-static:F')
 */
export function parseRegisterString(
  input: string | Uint8Array,
  options: ParseRegisterStringOptions = {},
): Result<ParsedRegisterString, InvalidRegisterStringError> {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const text = typeof input === 'string' ? input : decoder.decode(input);
  try {
    return ok(parseBytes(bytes, options.kernel?.bufferSize ?? 256));
  } catch (error) {
    if (error instanceof ParseFailure) {
      const issue: ValidationIssue =
        error.limit === undefined
          ? { severity: 'kernel', rule: error.rule, field: error.field, value: error.value }
          : { severity: 'kernel', rule: error.rule, field: error.field, value: error.value, limit: error.limit };
      return err({ kind: 'invalid-register-string', text, issue });
    }
    throw error;
  }
}

function parseBytes(bytes: Uint8Array, bufferSize: number): ParsedRegisterString {
  const count = bytes.length;
  if (count < 11 || count > MAX_REGISTER_LENGTH) {
    throw new ParseFailure('register-length', 'register-string', `${count} bytes`, MAX_REGISTER_LENGTH);
  }
  const delimiter = bytes[0] as number;
  // NOTE: Linux 6.18 rejects a flag letter as delimiter, because the padding below would
  // read as flags; older kernels accepted one when the flags ended with a newline.
  if (delimiter === FLAG_P || delimiter === FLAG_O || delimiter === FLAG_C || delimiter === FLAG_F) {
    throw new ParseFailure('delimiter-invalid', 'register-string', String.fromCharCode(delimiter));
  }
  // The kernel pads its copy with 8 delimiter bytes, so a string that stops early fails
  // on a later field instead of overrunning the buffer.
  const buffer = new Uint8Array(count + 8);
  buffer.set(bytes);
  buffer.fill(delimiter, count);

  // C strchr(): the index of the next delimiter, or -1 when a NUL byte comes first.
  const findDelimiter = (from: number): number => {
    for (let index = from; index < buffer.length; index += 1) {
      const byte = buffer[index];
      if (byte === delimiter) return index;
      if (byte === 0) return -1;
    }
    return -1;
  };
  const cut = (from: number, field: RecordField, nulRule: KernelRule): number => {
    const end = findDelimiter(from);
    if (end === -1) throw new ParseFailure(nulRule, field, textOf(buffer, from, count));
    if (end >= count) throw new ParseFailure('register-incomplete', field, textOf(buffer, from, count));
    return end;
  };

  // name
  let position = 1;
  let end = cut(position, 'name', 'name-nul');
  // NOTE: names and interpreters are decoded as UTF-8, so bytes that are not valid UTF-8
  // become U+FFFD and such an entry does not round-trip through a record.
  const name = textOf(buffer, position, end);
  const nameByteLength = end - position;
  const nameIssue = nameIssues(name, String.fromCharCode(delimiter), false).find(
    (issue) => issue.rule !== 'name-reserved' && issue.rule !== 'name-too-long',
  );
  if (nameIssue !== undefined && nameIssue.severity === 'kernel') {
    throw new ParseFailure(nameIssue.rule, 'name', name);
  }
  position = end + 1;

  // type
  const type = buffer[position];
  if ((type !== 0x4d && type !== 0x45) || buffer[position + 1] !== delimiter) {
    throw new ParseFailure('type-invalid', 'type', textOf(buffer, position, Math.min(position + 1, count)));
  }
  if (position + 1 >= count) throw new ParseFailure('register-incomplete', 'type', '');
  position += 2;

  let record: BinfmtRecord;
  if (type === 0x4d) {
    end = cut(position, 'offset', 'offset-invalid');
    const offsetText = textOf(buffer, position, end);
    const offset = offsetText === '' ? 0 : parseKernelInt(offsetText);
    if (offset === undefined || offset < 0) throw new ParseFailure('offset-invalid', 'offset', offsetText);
    position = end + 1;

    end = scanEscapedField(buffer, position, delimiter, 'magic');
    if (end >= count) throw new ParseFailure('register-incomplete', 'magic', textOf(buffer, position, count));
    const magicRaw = buffer.subarray(position, end);
    if (magicRaw.length === 0 || magicRaw[0] === 0) throw new ParseFailure('magic-empty', 'magic', '');
    position = end + 1;

    end = scanEscapedField(buffer, position, delimiter, 'mask');
    if (end >= count) throw new ParseFailure('register-incomplete', 'mask', textOf(buffer, position, count));
    const maskRaw = buffer.subarray(position, end);
    position = end + 1;

    const magic = decodeEscapes(magicRaw);
    const mask = maskRaw.length === 0 || maskRaw[0] === 0 ? null : decodeEscapes(maskRaw);
    if (mask !== null && mask.length !== magic.length) {
      throw new ParseFailure(
        'mask-length',
        'mask',
        `${mask.length} ${mask.length === 1 ? 'byte' : 'bytes'} for a ${magic.length}-byte magic`,
        magic.length,
      );
    }
    if (magic.length > bufferSize) {
      throw new ParseFailure('magic-too-long', 'magic', `${magic.length} bytes`, bufferSize);
    }
    if (bufferSize - magic.length < offset) {
      throw new ParseFailure('magic-beyond-buffer', 'offset', `offset ${offset} + ${magic.length} bytes`, bufferSize);
    }
    record = createMagicRecord({ name, offset, magic, mask, interpreter: '' });
  } else {
    // The offset field of an E entry is skipped without any check.
    end = cut(position, 'offset', 'offset-invalid');
    position = end + 1;
    end = cut(position, 'extension', 'extension-nul');
    const extension = textOf(buffer, position, end);
    if (extension === '') throw new ParseFailure('extension-empty', 'extension', extension);
    if (extension.includes('/')) throw new ParseFailure('extension-slash', 'extension', extension);
    position = end + 1;
    // So is the mask field.
    end = cut(position, 'mask', 'register-incomplete');
    position = end + 1;
    record = createExtensionRecord({ name, extension, interpreter: '' });
  }

  end = cut(position, 'interpreter', 'interpreter-nul');
  const interpreter = textOf(buffer, position, end);
  if (interpreter === '') throw new ParseFailure('interpreter-empty', 'interpreter', interpreter);
  position = end + 1;

  const flagsStart = position;
  let preserveArgv0 = false;
  let openBinary = false;
  let credentials = false;
  let fixBinary = false;
  for (;;) {
    const byte = buffer[position];
    if (byte === FLAG_P) preserveArgv0 = true;
    else if (byte === FLAG_O) openBinary = true;
    else if (byte === FLAG_C) credentials = true;
    else if (byte === FLAG_F) fixBinary = true;
    else break;
    position += 1;
  }
  if (buffer[position] === NEWLINE) position += 1;
  if (position !== count) {
    throw new ParseFailure('flags-invalid', 'flags', textOf(buffer, flagsStart, count));
  }
  const flags = { ...NO_FLAGS, preserveArgv0, openBinary, credentials, fixBinary };
  record =
    record.kind === 'magic'
      ? createMagicRecord({ ...record, interpreter, flags })
      : createExtensionRecord({ ...record, interpreter, flags });

  // The kernel checks these when it creates the entry's file, after parsing.
  if (name === 'register' || name === 'status') throw new ParseFailure('name-reserved', 'name', name);
  // The limit is on bytes as written, which the decoded name may not reflect.
  if (nameByteLength > MAX_NAME_LENGTH) throw new ParseFailure('name-too-long', 'name', name, MAX_NAME_LENGTH);
  return { record, delimiter: String.fromCharCode(delimiter) };
}

/**
 * The kernel's `scanarg()`: find the delimiter that ends a magic or mask field, where
 * `\x` must be followed by two hex digits that are skipped without comparing them to
 * the delimiter. Bytes after a NUL are still scanned.
 */
function scanEscapedField(buffer: Uint8Array, from: number, delimiter: number, field: RecordField): number {
  let index = from;
  for (;;) {
    if (index >= buffer.length) throw new ParseFailure('register-incomplete', field, '');
    const byte = buffer[index] as number;
    index += 1;
    if (byte === delimiter) return index - 1;
    if (byte === BACKSLASH && buffer[index] === LETTER_X) {
      index += 1;
      if (hexValue(buffer[index]) === undefined || hexValue(buffer[index + 1]) === undefined) {
        throw new ParseFailure('escape-invalid', field, textOf(buffer, index - 2, Math.min(index + 2, buffer.length)));
      }
      index += 2;
    }
  }
}

/**
 * The kernel's `kstrtoint(text, 10)`: one optional `-` or `+` (not both), decimal digits,
 * one optional trailing newline, and a value that fits in an `int`.
 */
function parseKernelInt(text: string): number | undefined {
  const match = /^([-+]?)([0-9]+)\n?$/.exec(text);
  if (match === null) return undefined;
  const magnitude = BigInt(match[2] as string);
  const value = match[1] === '-' ? -magnitude : magnitude;
  if (value > 2147483647n || value < -2147483648n) return undefined;
  return Number(value);
}

function textOf(buffer: Uint8Array, from: number, to: number): string {
  return decoder.decode(buffer.subarray(from, Math.max(from, to)));
}

/** Options of {@link formatRegisterString}. */
export interface FormatRegisterStringOptions {
  /**
   * The delimiter: one printable ASCII character that is not a letter, a digit, a space or
   * a backslash, and that no name, extension or interpreter field contains.
   * @default ':'
   */
  readonly delimiter?: string;
  readonly kernel?: KernelFeatures;
  /**
   * Also reject records that break the safety rules.
   * @default false
   */
  readonly strict?: boolean;
}

/**
 * Format a record as the string written to `register`, without the trailing newline.
 * Magic and mask bytes are escaped as `\xHH` except ASCII letters and digits, so the
 * delimiter, backslashes, NUL and non-printable bytes never appear raw. The final
 * delimiter before the flags is always written. Fails when the kernel would reject the
 * record.
 *
 * @example
 * formatRegisterString(record) // ':qemu-aarch64:M::\x7fELF\x02…:\xff…:/usr/bin/qemu-aarch64-static:F'
 */
export function formatRegisterString(
  record: BinfmtRecord,
  options: FormatRegisterStringOptions = {},
): Result<string, InvalidRecordError> {
  const delimiter = options.delimiter ?? ':';
  if (!/^[\x21-\x7e]$/.test(delimiter) || /[A-Za-z0-9\\]/.test(delimiter)) {
    return err({
      kind: 'invalid-record',
      name: record.name,
      issues: [{ severity: 'kernel', rule: 'delimiter-invalid', field: 'register-string', value: delimiter }],
    });
  }
  const issues = findRecordIssues(record, {
    delimiter,
    strict: options.strict ?? false,
    ...(options.kernel === undefined ? {} : { kernel: options.kernel }),
  });
  if (issues.length > 0) {
    return err({ kind: 'invalid-record', name: record.name, issues });
  }
  return ok(renderRegisterString(record, delimiter));
}
