/**
 * Quote a value for POSIX sh: wrap it in single quotes, inside which nothing is special,
 * and write each `'` as `'\''` (close, escaped quote, reopen). Newlines, `$`, backslashes
 * and leading dashes pass through as bytes.
 * @internal
 */
export function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
