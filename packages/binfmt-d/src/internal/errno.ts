/**
 * Return the errno name of a Node.js system error (`EACCES`, `ELOOP`), or `UNKNOWN` for
 * anything else, so that failures become plain data once, where the I/O happens.
 *
 * @internal
 */
export function errnoCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return 'UNKNOWN';
}
