import { execFile } from 'node:child_process';
import { readFile, stat, statfs } from 'node:fs/promises';
import { err, ok, type Result } from 'neverthrow';
import type { ProcfsError } from './errors.js';
import { errnoOf } from './internal/system-call.js';

/** Usual mount point of binfmt_misc. */
export const DEFAULT_ROOT = '/proc/sys/fs/binfmt_misc';

/** `BINFMTFS_MAGIC`, the `f_type` that `statfs(2)` reports for a binfmt_misc mount. */
export const BINFMTFS_MAGIC = 0x42494e4d;

/**
 * State of a root, as {@link detectInstance} finds it.
 *
 * - `mounted`: a binfmt_misc instance is mounted there.
 * - `not-mounted`: nothing is mounted there, but `/proc/filesystems` lists `binfmt_misc`.
 * - `unsupported`: nothing is mounted and the kernel lists no `binfmt_misc` filesystem
 *   (not built, or a module that is not loaded yet).
 */
export interface InstanceStatus {
  readonly state: 'mounted' | 'not-mounted' | 'unsupported';
  readonly root: string;
}

function isPermissionCode(code: string): boolean {
  return code === 'EACCES' || code === 'EPERM';
}

async function kernelListsBinfmtMisc(): Promise<boolean> {
  try {
    const filesystems = await readFile('/proc/filesystems', 'utf8');
    return /^\S*\s+binfmt_misc$/m.test(filesystems);
  } catch {
    // Without /proc/filesystems, the mount attempt itself shows whether the kernel has binfmt_misc.
    return true;
  }
}

/**
 * Find out whether a binfmt_misc instance is mounted at `root`, checked with `statfs(2)`
 * so that a plain directory is not mistaken for one.
 */
export async function detectInstance(root: string): Promise<Result<InstanceStatus, ProcfsError>> {
  // Looking up a file below the root first triggers a systemd automount there.
  try {
    await stat(`${root}/status`);
  } catch (error) {
    const { code } = errnoOf(error);
    if (isPermissionCode(code)) return err({ kind: 'permission', path: root, operation: 'read', code });
  }
  try {
    const info = await statfs(root);
    if (info.type === BINFMTFS_MAGIC) return ok({ state: 'mounted', root });
  } catch (error) {
    const { code } = errnoOf(error);
    if (isPermissionCode(code)) return err({ kind: 'permission', path: root, operation: 'read', code });
  }
  const supported = await kernelListsBinfmtMisc();
  return ok({ state: supported ? 'not-mounted' : 'unsupported', root });
}

function runMount(root: string): Promise<{ failed: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile('mount', ['-t', 'binfmt_misc', 'binfmt_misc', root], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ failed: error !== null, output: `${stderr}${stdout}`.trim() || (error?.message ?? '') });
    });
  });
}

/** Mount binfmt_misc at `root` with `mount(8)` and map its complaint to an error. @internal */
export async function mountInstance(root: string): Promise<Result<void, ProcfsError>> {
  const { failed, output } = await runMount(root);
  if (!failed) return ok(undefined);
  if (/permission denied|not permitted|must be superuser/i.test(output)) {
    return err({ kind: 'permission', path: root, operation: 'mount', code: 'EPERM' });
  }
  if (/unknown filesystem type|no such device/i.test(output)) {
    return err({ kind: 'no-binfmt-support', root });
  }
  return err({ kind: 'mount-failed', root, detail: output });
}

/**
 * Ensure an instance is mounted at `root`, and mount one if `mount` allows it.
 * Otherwise return the error that tells the caller how to mount it. @internal
 */
export async function ensureInstance(root: string, mount: boolean): Promise<Result<void, ProcfsError>> {
  const status = await detectInstance(root);
  if (status.isErr()) return err(status.error);
  const { state } = status.value;
  if (state === 'mounted') return ok(undefined);
  if (!mount) {
    return err(state === 'not-mounted' ? { kind: 'not-mounted', root } : { kind: 'no-binfmt-support', root });
  }
  // A kernel with binfmt_misc as a module that is not loaded yet loads it on mount.
  const mounted = await mountInstance(root);
  if (mounted.isErr()) return err(mounted.error);
  const after = await detectInstance(root);
  if (after.isErr()) return err(after.error);
  if (after.value.state !== 'mounted') {
    return err({ kind: 'mount-failed', root, detail: 'mount(8) succeeded, but statfs(2) does not report binfmt_misc' });
  }
  return ok(undefined);
}
