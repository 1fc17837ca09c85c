import { existsSync } from 'node:fs';
import { type BinfmtRecord, formatEntryStatus, formatRegisterString, type InstalledEntry } from '@qus/core';
import { createProcfsBackend, describeProcfsError, type ProcfsBackend, type ProcfsError } from '@qus/procfs';
import { match, P } from 'ts-pattern';
import { describeMountFix } from './messages.js';

/** Open the live-kernel backend for the instance at `root`. */
export function openProcfs(root: string, mount = false): ProcfsBackend {
  return createProcfsBackend({ root, mount });
}

function describeNotMounted(root: string, mountOption: boolean): string {
  return `binfmt_misc is not mounted at ${root}: ${describeMountFix(root, mountOption, existsSync(root))}`;
}

/** Format a record on one line as its register string, or as its status lines if it has none. */
function showRecord(record: BinfmtRecord): string {
  return formatRegisterString(record).match(
    (text) => text,
    () => formatEntryStatus({ record, enabled: true }).trimEnd().replaceAll('\n', '; '),
  );
}

function describeConflict(name: string, existing: InstalledEntry, requested: BinfmtRecord): string {
  return [
    `entry "${name}" already exists with different contents:`,
    `  existing:  ${showRecord(existing.record)}${existing.enabled ? '' : ' (disabled)'}`,
    `  requested: ${showRecord(requested)}`,
    `run again with --replace to replace it, or remove it first with "qus unregister ${name}"`,
  ].join('\n');
}

/**
 * Describe a procfs error in the CLI's terms. The library's messages name its own options
 * (`mount: true`, `replace: true`, `kernelRelease`); these name the command-line flag that
 * does the same, or the command to run. `mountOption` is true for commands that have `--mount`.
 */
export function describeProcfsFailure(error: ProcfsError, mountOption: boolean): string {
  return match(error)
    .with({ kind: 'not-mounted' }, (e) => describeNotMounted(e.root, mountOption))
    .with({ kind: 'entry-exists', existing: P.not(null) }, (e) => describeConflict(e.name, e.existing, e.requested))
    .with(
      { kind: 'kernel-feature', feature: 'fix-binary' },
      (e) =>
        `entry "${e.name}" uses flag F, which needs Linux 4.8 or later (this kernel is "${e.release}"); run again with --persistent no`,
    )
    .with(
      { kind: 'kernel-feature', feature: 'preserve-argv0' },
      (e) =>
        `entry "${e.name}" uses flag P, which QEMU detects only on Linux 5.12 or later (this kernel is "${e.release}"), so the guest would get an extra argument; run again with --preserve-argv0 no, or install Debian's qemu-user-binfmt emulators (/usr/libexec/qemu-binfmt/<cpu>-binfmt-P), which handle P on any kernel`,
    )
    .with(
      { kind: 'invalid-kernel-release' },
      (e) =>
        `kernel release "${e.release}" (from uname -r) does not start with MAJOR.MINOR, so qus cannot tell which flags this kernel supports; please report it with the output of "uname -r"`,
    )
    .otherwise((e) => describeProcfsError(e));
}
