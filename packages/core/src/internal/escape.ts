/** @internal */
const HEX_DIGITS = '0123456789abcdef';

/**
 * Decode `\xHH` escapes the way the kernel's `string_unescape_inplace(…, UNESCAPE_HEX)`
 * does: only `\x` followed by a hex digit is decoded (one or two digits), any other
 * backslash sequence is copied with its backslash, and a raw NUL ends the text.
 *
 * @internal
 */
export function decodeEscapes(text: string | Uint8Array): Uint8Array {
  const source = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const output: number[] = [];
  let index = 0;
  while (index < source.length && source[index] !== 0) {
    const byte = source[index] as number;
    const next = source[index + 1];
    if (byte === 0x5c && next !== undefined && next !== 0) {
      const first = hexValue(source[index + 2]);
      if (next === 0x78 && first !== undefined) {
        const second = hexValue(source[index + 3]);
        if (second === undefined) {
          output.push(first);
          index += 3;
        } else {
          output.push((first << 4) | second);
          index += 4;
        }
        continue;
      }
      // Not a hex escape: the kernel keeps the backslash and then copies the next byte.
      output.push(byte, next);
      index += 2;
      continue;
    }
    output.push(byte);
    index += 1;
  }
  return Uint8Array.from(output);
}

/** @internal */
export function hexValue(byte: number | undefined): number | undefined {
  if (byte === undefined) return undefined;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return undefined;
}

/** @internal */
export function isAsciiAlphanumeric(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/**
 * Encode bytes as register-string text: ASCII letters and digits stay literal (as in
 * QEMU's `\x7fELF`), every other byte becomes `\xHH`, so the delimiter, backslash,
 * NUL and non-printable bytes can never appear raw.
 *
 * @internal
 */
export function encodeEscapes(bytes: Uint8Array, delimiter: string): string {
  let text = '';
  for (const byte of bytes) {
    const literal = String.fromCharCode(byte);
    if (isAsciiAlphanumeric(byte) && literal !== delimiter) {
      text += literal;
    } else {
      text += `\\x${HEX_DIGITS[byte >> 4]}${HEX_DIGITS[byte & 0xf]}`;
    }
  }
  return text;
}

/** Lower-case hex with no separators, as the kernel prints magic and mask. @internal */
export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    text += `${HEX_DIGITS[byte >> 4]}${HEX_DIGITS[byte & 0xf]}`;
  }
  return text;
}

/** @internal */
export function bytesEqual(left: Uint8Array | null, right: Uint8Array | null): boolean {
  if (left === null || right === null) return left === right;
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index += 1) {
    if (left[index] !== right[index]) return false;
  }
  return true;
}
