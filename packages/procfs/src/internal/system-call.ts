import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { err, ok, type Result } from 'neverthrow';

/** A failed system call: its stage, errno code and Node's message. @internal */
export type SystemCallFailure =
  | { readonly stage: 'open' | 'write' | 'read'; readonly code: string; readonly message: string }
  | { readonly stage: 'short-write'; readonly written: number; readonly expected: number };

/** Extract the errno code and message from a value Node threw. @internal */
export function errnoOf(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { code: typeof code === 'string' ? code : 'UNKNOWN', message: error.message };
  }
  return { code: 'UNKNOWN', message: String(error) };
}

/**
 * Write `text` to a binfmt_misc file in a single `write(2)`. The kernel parses each write
 * to `register` (and each command to `status` or an entry) on its own, so the bytes must
 * never be split the way buffered streams split them. The file is opened `O_WRONLY`
 * without `O_CREAT` or `O_TRUNC`, which binfmt_misc files do not support.
 * @internal
 */
export async function writeOnce(path: string, text: string): Promise<Result<void, SystemCallFailure>> {
  const data = Buffer.from(text, 'utf8');
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_WRONLY);
  } catch (error) {
    return err({ stage: 'open', ...errnoOf(error) });
  }
  try {
    // A null position makes Node call write(2), not pwrite(2).
    const { bytesWritten } = await handle.write(data, 0, data.length, null);
    if (bytesWritten !== data.length) {
      return err({ stage: 'short-write', written: bytesWritten, expected: data.length });
    }
    return ok(undefined);
  } catch (error) {
    return err({ stage: 'write', ...errnoOf(error) });
  } finally {
    await handle.close().catch(() => undefined);
  }
}
