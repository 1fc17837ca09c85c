import { err, ok, type Result } from 'neverthrow';
import { toHex } from './internal/escape.js';
import { createExtensionRecord, createMagicRecord, formatFlagsAsKernel, type InstalledEntry } from './record.js';

/** An entry file whose text does not follow the kernel's `entry_status()` layout. */
export interface InvalidEntryStatusError {
  readonly kind: 'invalid-entry-status';
  readonly name: string;
  /** 1-based line number of the first line that could not be read. */
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

function parseHex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let index = 0; index < bytes.length; index += 1) {
    bytes[index] = Number.parseInt(text.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

function isFlagsLine(line: string): boolean {
  return line.startsWith('flags: ') || line === 'flags:';
}

/**
 * Parse the text of `<binfmt_misc>/<name>` as the kernel prints it (`entry_status()`):
 *
 * ```text
 * enabled
 * interpreter /usr/bin/qemu-aarch64-static
 * flags: OCF
 * offset 0
 * magic 7f454c46…
 * mask ffffffff…
 * ```
 *
 * or `extension .py` in place of the offset, magic and mask lines. Lines this parser does
 * not know are ignored, so that a later kernel adding a line still parses. An interpreter
 * that contains newlines is read up to the `flags:` line.
 *
 * NOTE: an extension that contains a newline is cut at it, and an interpreter that
 * contains a line starting with `flags:` is cut there: the kernel's text is ambiguous then.
 *
 * @param name - the entry's file name, which the text itself does not contain
 */
export function parseEntryStatus(name: string, text: string): Result<InstalledEntry, InvalidEntryStatusError> {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const fail = (line: number, reason: string): Result<InstalledEntry, InvalidEntryStatusError> =>
    err({ kind: 'invalid-entry-status', name, line, text: lines[line - 1] ?? '', reason });

  const state = lines[0];
  if (state !== 'enabled' && state !== 'disabled') {
    return fail(1, 'the first line must be "enabled" or "disabled"');
  }
  let interpreter: string | undefined;
  let flags: string | undefined;
  let offset: number | undefined;
  let magic: Uint8Array | undefined;
  let mask: Uint8Array | undefined;
  let extension: string | undefined;

  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const lineNumber = index + 1;
    if (line.startsWith('interpreter ') && interpreter === undefined) {
      interpreter = line.slice('interpreter '.length);
      // The kernel prints the interpreter verbatim, and it may contain newlines: every line
      // up to the "flags:" line, which always follows, belongs to it.
      while (index + 1 < lines.length && !isFlagsLine(lines[index + 1] as string)) {
        index += 1;
        interpreter += `\n${lines[index] as string}`;
      }
    } else if (isFlagsLine(line)) {
      flags = line.slice('flags:'.length).trimStart();
      if (!/^[POCF]*$/.test(flags)) return fail(lineNumber, 'flags must be letters among P, O, C and F');
    } else if (line.startsWith('offset ')) {
      const value = line.slice('offset '.length);
      if (!/^[0-9]+$/.test(value)) return fail(lineNumber, 'the offset must be a decimal number');
      offset = Number(value);
    } else if (line.startsWith('magic ')) {
      magic = parseHex(line.slice('magic '.length));
      if (magic === undefined) return fail(lineNumber, 'the magic must be lower-case hex bytes');
    } else if (line.startsWith('mask ')) {
      mask = parseHex(line.slice('mask '.length));
      if (mask === undefined) return fail(lineNumber, 'the mask must be lower-case hex bytes');
    } else if (line.startsWith('extension ')) {
      const value = line.slice('extension '.length);
      if (!value.startsWith('.')) return fail(lineNumber, 'the extension must start with "."');
      extension = value.slice(1);
    }
  }
  if (interpreter === undefined) return fail(lines.length + 1, 'the "interpreter" line is missing');
  if (flags === undefined) return fail(lines.length + 1, 'the "flags:" line is missing');
  const enabled = state === 'enabled';
  if (extension !== undefined) {
    if (magic !== undefined) return fail(lines.length, 'an entry cannot have both an extension and a magic');
    return ok({ enabled, record: createExtensionRecord({ name, extension, interpreter, flags }) });
  }
  if (magic === undefined || offset === undefined) {
    return fail(lines.length + 1, 'the "offset" and "magic" lines, or an "extension" line, are missing');
  }
  if (mask !== undefined && mask.length !== magic.length) {
    return fail(lines.length, 'the mask must be as long as the magic');
  }
  return ok({ enabled, record: createMagicRecord({ name, offset, magic, mask: mask ?? null, interpreter, flags }) });
}

/**
 * Format an entry as the kernel prints its status file, so that tests and tools can
 * compare a record with what `cat /proc/sys/fs/binfmt_misc/<name>` shows.
 */
export function formatEntryStatus(entry: InstalledEntry): string {
  const { record } = entry;
  const lines = [
    entry.enabled ? 'enabled' : 'disabled',
    `interpreter ${record.interpreter}`,
    `flags: ${formatFlagsAsKernel(record.flags)}`,
  ];
  if (record.kind === 'magic') {
    lines.push(`offset ${record.offset}`, `magic ${toHex(record.magic)}`);
    if (record.mask !== null) lines.push(`mask ${toHex(record.mask)}`);
  } else {
    lines.push(`extension .${record.extension}`);
  }
  return `${lines.join('\n')}\n`;
}
