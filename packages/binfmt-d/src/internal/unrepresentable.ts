import type { BinfmtRecord } from '@qus/core';
import type { BinfmtDError } from '../errors.js';

/**
 * Find a field that a line-based file cannot carry: a line break anywhere, or trailing
 * whitespace, which binfmt-support strips from every line. Returns `null` when there is none.
 *
 * @internal
 */
export function unrepresentableText(record: BinfmtRecord, format: 'systemd' | 'debian'): BinfmtDError | null {
  const fields = [record.name, record.interpreter, record.kind === 'extension' ? record.extension : ''];
  const broken = fields.find((field) => /[\n\r]/.test(field));
  if (broken !== undefined) {
    return { kind: 'unrepresentable-record', name: record.name, format, reason: 'line-break', value: broken };
  }
  if (format === 'debian') {
    const trailing = fields.find((field) => /\s$/.test(field));
    if (trailing !== undefined) {
      return {
        kind: 'unrepresentable-record',
        name: record.name,
        format,
        reason: 'trailing-whitespace',
        value: trailing,
      };
    }
  }
  return null;
}
