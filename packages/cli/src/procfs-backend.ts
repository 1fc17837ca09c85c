import { createProcfsBackend, describeProcfsError, type ProcfsBackend, type ProcfsError } from '@qus/procfs';

/** Open the live-kernel backend for the instance at `root`. */
export function openProcfs(root: string, mount = false): ProcfsBackend {
  return createProcfsBackend({ root, mount });
}

/**
 * Describe a procfs error in the CLI's terms: a missing mount names the `--mount` option
 * where the command has one, instead of the library option.
 */
export function describeProcfsFailure(error: ProcfsError, mountOption: boolean): string {
  if (error.kind === 'not-mounted') {
    const fix = `as root: mount -t binfmt_misc binfmt_misc ${error.root}`;
    return mountOption
      ? `binfmt_misc is not mounted at ${error.root}: run with --mount, or ${fix}`
      : `binfmt_misc is not mounted at ${error.root}: run "qus register --mount", or ${fix}`;
  }
  return describeProcfsError(error);
}
