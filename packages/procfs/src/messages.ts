import {
  type BinfmtRecord,
  describeEntryStatusError,
  describeIssue,
  formatEntryStatus,
  formatRegisterString,
  type InstalledEntry,
} from '@qus/core';
import { match } from 'ts-pattern';
import type { KernelFeatureError, ProcfsError } from './errors.js';

function quote(value: string): string {
  return JSON.stringify(value);
}

/** Format a record on one line as its register string, or as its status lines if it has none. */
function showRecord(record: BinfmtRecord): string {
  return formatRegisterString(record).match(
    (text) => text,
    () => formatEntryStatus({ record, enabled: true }).trimEnd().replaceAll('\n', '; '),
  );
}

function showEntry(entry: InstalledEntry): string {
  return `${showRecord(entry.record)}${entry.enabled ? '' : ' (disabled)'}`;
}

function describeFeature(error: KernelFeatureError): string {
  const name = quote(error.name);
  const release = quote(error.release);
  return match(error.feature)
    .with(
      'fix-binary',
      () => `entry ${name} uses flag F, which needs Linux 4.8 or later (this kernel is ${release}); drop F`,
    )
    .with(
      'buffer-size',
      () =>
        `entry ${name} has a magic that ends past byte 128, and kernels before Linux 5.1 (this one is ${release}) read only 128 bytes; lower the offset or shorten the magic`,
    )
    .with(
      'preserve-argv0',
      () =>
        `entry ${name} uses flag P, which QEMU detects only on Linux 5.12 or later (this kernel is ${release}), so the guest would get an extra argument; drop P, use a Debian "-binfmt-P" interpreter, or pass kernelRelease "5.12" if this kernel has the AT_FLAGS backport`,
    )
    .exhaustive();
}

/**
 * Build the message for a procfs error: what failed, on which value, and what to do.
 *
 * @example
 * describeProcfsError({ kind: 'not-mounted', root: '/proc/sys/fs/binfmt_misc' })
 * // 'binfmt_misc is not mounted at /proc/sys/fs/binfmt_misc: pass mount: true, or as root run: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc'
 */
export function describeProcfsError(error: ProcfsError): string {
  return match(error)
    .with(
      { kind: 'not-mounted' },
      (e) =>
        `binfmt_misc is not mounted at ${e.root}: pass mount: true, or as root run: mount -t binfmt_misc binfmt_misc ${e.root}`,
    )
    .with(
      { kind: 'no-binfmt-support' },
      (e) =>
        `the kernel has no binfmt_misc filesystem (it is not in /proc/filesystems), so nothing can be mounted at ${e.root}: load the module with "modprobe binfmt_misc", or use a kernel built with CONFIG_BINFMT_MISC`,
    )
    .with(
      { kind: 'permission' },
      (e) =>
        `permission denied (${e.code}) to ${e.operation} ${e.path}: run as root, or inside a user namespace with its own binfmt_misc instance (Linux 6.7 or later: unshare --user --map-root-user --mount, then mount binfmt_misc there)`,
    )
    .with(
      { kind: 'mount-failed' },
      (e) => `mounting binfmt_misc at ${e.root} failed: ${e.detail}; check that ${e.root} is an existing directory`,
    )
    .with({ kind: 'invalid-record', rejectedBy: 'validation' }, (e) => {
      const lines = e.issues.map((issue) => `  - ${describeIssue(issue)}`);
      return `record ${quote(e.name)} is invalid, nothing was written:\n${lines.join('\n')}`;
    })
    .with({ kind: 'invalid-record', rejectedBy: 'kernel' }, (e) => {
      if (e.issues.length === 0) {
        return `the kernel rejected record ${quote(e.name)} (EINVAL) for a reason no rule of this library explains; compare its register string with Documentation/admin-guide/binfmt-misc.rst of this kernel`;
      }
      const lines = e.issues.map((issue) => `  - ${describeIssue(issue)}`);
      return `the kernel rejected record ${quote(e.name)} (EINVAL):\n${lines.join('\n')}`;
    })
    .with({ kind: 'entry-exists' }, (e) => {
      if (e.existing === null) {
        return `entry ${quote(e.name)} already exists (EEXIST) but vanished before it could be read; apply the records again`;
      }
      return [
        `entry ${quote(e.name)} already exists with different contents:`,
        `  existing:  ${showEntry(e.existing)}`,
        `  requested: ${showRecord(e.requested)}`,
        'pass replace: true to replace it, or remove it first',
      ].join('\n');
    })
    .with(
      { kind: 'interpreter-not-found' },
      (e) =>
        `interpreter ${e.interpreter} of entry ${quote(e.name)} was not found (ENOENT); with flag F the kernel opens it when the entry is registered: install the emulator at that path or fix the path`,
    )
    .with(
      { kind: 'interpreter-not-executable' },
      (e) =>
        `interpreter ${e.interpreter} of entry ${quote(e.name)} cannot be executed (EACCES): it is a directory, lacks execute permission or is on a noexec mount; point the entry to an executable file`,
    )
    .with(
      { kind: 'operation-not-permitted' },
      (e) =>
        `writing to ${e.path} for entry ${quote(e.name)} was not permitted (EPERM); run as root in the user namespace that mounted this instance, or check the security module's log`,
    )
    .with(
      { kind: 'no-device' },
      (e) => `${e.path} returned ENODEV, so the binfmt_misc instance went away while in use; mount it again and retry`,
    )
    .with(
      { kind: 'name-too-long' },
      (e) =>
        `entry name ${quote(e.name.length > 40 ? `${e.name.slice(0, 40)}…` : e.name)} is ${e.length} bytes, longer than the kernel's limit of 255 (ENAMETOOLONG); shorten it`,
    )
    .with({ kind: 'kernel-feature' }, (e) => describeFeature(e))
    .with(
      { kind: 'invalid-kernel-release' },
      (e) =>
        `kernel release ${quote(e.release)} does not start with MAJOR.MINOR; pass kernelRelease as "uname -r" prints it`,
    )
    .with(
      { kind: 'invalid-entry' },
      (e) =>
        `${e.path} does not follow the kernel's entry layout: ${describeEntryStatusError(e.error)}; report the kernel version and the file's text`,
    )
    .with(
      { kind: 'confirmation-required' },
      (e) =>
        `removing every entry at ${e.root}, other tools' entries included, needs removeAll({ confirm: true }); to remove some entries only, use removeMatching`,
    )
    .with(
      { kind: 'short-write' },
      (e) =>
        `the kernel took ${e.written} of ${e.expected} bytes written to ${e.path}, so the command was not applied as one write; retry`,
    )
    .with(
      { kind: 'system-error' },
      (e) => `${e.operation} ${e.path} failed (${e.code}): ${e.message}; check the path and retry`,
    )
    .exhaustive();
}

/** Build the warning for a record that takes over files an existing entry with another interpreter matches. */
export function describeOverlapWarning(record: BinfmtRecord, existing: BinfmtRecord): string {
  return `entry ${quote(record.name)} (${record.interpreter}) matches files that entry ${quote(existing.name)} (${existing.interpreter}) also matches; the newest entry wins, so ${quote(record.name)} will run them`;
}

/** Build the warning for a record that matches the host's own programs. */
export function describeNativeWarning(record: BinfmtRecord, hostMachine: string): string {
  return `entry ${quote(record.name)} matches programs native to this ${hostMachine} host, so every such program would run through ${record.interpreter}; leave the host's own CPU out of the targets`;
}
