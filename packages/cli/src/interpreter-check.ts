import { access, constants } from 'node:fs/promises';

/** Return whether an interpreter path is an executable file here (for `F` entries the kernel may hold another copy). */
export async function interpreterExists(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
