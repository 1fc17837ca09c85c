import { type BinfmtRecord, formatFlagsAsQemu } from '../record.js';
import { encodeEscapes } from './escape.js';

/**
 * Render a record as a register string without checking it: `:name:M:offset:magic:mask:interpreter:flags`.
 * The offset is left empty when it is 0, as `qemu-binfmt-conf.sh` writes it.
 *
 * @internal
 */
export function renderRegisterString(record: BinfmtRecord, delimiter: string): string {
  const d = delimiter;
  const flags = formatFlagsAsQemu(record.flags);
  if (record.kind === 'magic') {
    const offset = record.offset === 0 ? '' : String(record.offset);
    const magic = encodeEscapes(record.magic, d);
    const mask = record.mask === null ? '' : encodeEscapes(record.mask, d);
    return `${d}${record.name}${d}M${d}${offset}${d}${magic}${d}${mask}${d}${record.interpreter}${d}${flags}`;
  }
  return `${d}${record.name}${d}E${d}${d}${record.extension}${d}${d}${record.interpreter}${d}${flags}`;
}
