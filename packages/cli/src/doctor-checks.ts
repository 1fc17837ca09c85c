import {
  type BackendState,
  type InstalledEntry,
  type KernelFeatures,
  matchFile,
  normalizeHostMachine,
  resolveTarget,
} from '@qus/core';
import type { ProbeResult } from './host-facts.js';
import { ARM_EXIT_ZERO, buildElf32 } from './tiny-elf.js';

/** One thing `doctor` checked: what is wrong, why it matters and the command that fixes it. */
export interface Finding {
  /** A stable name of the check, for scripts that read `--json`. */
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'ok';
  readonly subject: string;
  readonly message: string;
  readonly why?: string;
  readonly fix?: string;
}

/** Return the target of a `qemu-<cpu>` entry name, or `null` for other names. */
function targetOfEntry(name: string): string | null {
  if (!name.startsWith('qemu-')) return null;
  const cpu = name.slice('qemu-'.length);
  return resolveTarget(cpu).isOk() ? cpu : null;
}

/**
 * Find entries whose flags the kernel does not support: `F` before Linux 4.8, and `P`
 * before Linux 5.12 unless the interpreter is a Debian `-binfmt-P` emulator, which QEMU
 * treats as having `P` whatever the kernel passes.
 */
export function flagFindings(
  entries: readonly InstalledEntry[],
  features: KernelFeatures,
  release: string,
  root: string,
): Finding[] {
  const findings: Finding[] = [];
  for (const { record } of entries) {
    const target = targetOfEntry(record.name);
    if (record.flags.fixBinary && !features.fixBinary) {
      findings.push({
        id: 'flag-f-unsupported',
        severity: 'error',
        subject: record.name,
        message: `entry ${record.name} has flag F, which needs Linux 4.8 or later (this kernel is ${release})`,
        why: 'the kernel does not pin the emulator, so programs fail in containers and chroots that lack it',
        fix:
          target === null
            ? `echo -1 > ${root}/${record.name}, then register it again without F`
            : `qus register ${target} --replace --persistent no`,
      });
    }
    if (record.flags.preserveArgv0 && !features.preserveArgv0Flag && !record.interpreter.endsWith('-binfmt-P')) {
      findings.push({
        id: 'flag-p-unsupported',
        severity: 'error',
        subject: record.name,
        message: `entry ${record.name} has flag P, which QEMU detects only on Linux 5.12 or later (this kernel is ${release})`,
        why: 'QEMU does not see the flag, so every program gets its own path as an extra first argument',
        fix:
          target === null
            ? `echo -1 > ${root}/${record.name}, then register it again without P`
            : `qus register ${target} --replace --preserve-argv0 no`,
      });
    }
  }
  return findings;
}

/** Find entries that are disabled one by one while the instance is enabled. */
export function disabledEntryFindings(state: BackendState, root: string): Finding[] {
  // A disabled instance is one finding of its own, which covers every entry.
  if (!state.enabled) return [];
  return state.entries
    .filter((entry) => !entry.enabled)
    .map(({ record }) => ({
      id: 'entry-disabled',
      severity: 'warning',
      subject: record.name,
      message: `entry ${record.name} is disabled`,
      why: `the kernel skips it, so the programs it matches never reach its interpreter ${record.interpreter} and run natively or fail`,
      // NOTE: qus has no command that enables an entry, so the fix is the kernel interface.
      fix: `echo 1 > ${root}/${record.name} (as root)`,
    }));
}

/** The host facts the 32-bit arm check reads, as `probeHost` returns them. */
export interface ArmHostFacts {
  /** `uname -m`. */
  readonly machine: string;
  readonly probes: readonly ProbeResult[];
}

/**
 * Find an arm64 host that cannot run 32-bit arm programs natively (its probe did not
 * run) while no enabled entry matches them. QEMU's family rule, which qemu-binfmt-conf.sh
 * and `qus register` (when its probe cannot tell) follow, leaves `arm` out on arm64 hosts.
 */
export function armFindings(host: ArmHostFacts, entries: readonly InstalledEntry[]): Finding[] {
  if (normalizeHostMachine(host.machine) !== 'aarch64') return [];
  const probe = host.probes.find((result) => result.target === 'arm');
  if (probe?.outcome !== 'does-not-run') return [];
  const { winner } = matchFile({ bytes: buildElf32(ARM_EXIT_ZERO) }, entries);
  if (winner !== null) return [];
  return [
    {
      id: 'arm32-not-registered',
      severity: 'warning',
      subject: 'arm',
      message: `this ${host.machine} host cannot run 32-bit arm programs natively (${probe.detail}), and no enabled entry matches them`,
      why: "32-bit arm programs will fail, and QEMU's family rule does not register arm on arm64 hosts",
      fix: 'qus register arm',
    },
  ];
}
