import { mkdir, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

/**
 * Create a folder and its missing parents, one `mkdir()` per level from the root down.
 * Node 20's `mkdir(path, { recursive: true })` never returns for a path under /proc that
 * the kernel refuses (it retries ENOENT forever); going top-down fails on the first level
 * that cannot be made instead. Throws the `mkdir()` or `stat()` error of that level.
 *
 * @internal
 */
export async function makeDirectories(directory: string, mode = 0o755): Promise<void> {
  const parts = resolve(directory)
    .split(sep)
    .filter((part) => part !== '');
  let current = '';
  for (const part of parts) {
    current = `${current}${sep}${part}`;
    try {
      await mkdir(current, { mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // EEXIST for a file in the way: report it as mkdir would for the full path.
      if (!(await stat(current)).isDirectory())
        throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR' });
    }
  }
}
