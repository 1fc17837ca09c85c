import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { readSystemdConfig } from '@qus/binfmt-d';
import {
  type BackendState,
  targets as catalogue,
  findOverlaps,
  type InstalledEntry,
  type KernelFeatures,
  kernelFeatures,
  matchFile,
  readElfHeader,
  recordsEqual,
  type Target,
} from '@qus/core';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { entryToJson } from '../describe-match.js';
import { armFindings, disabledEntryFindings, type Finding, flagFindings } from '../doctor-checks.js';
import { EXIT_FAILURE } from '../errors.js';
import { probeHost } from '../host-facts.js';
import { describeMountFix } from '../messages.js';
import { decideNativeTargets, defaultKernelConfigSources, type NativeVerdict } from '../native-targets.js';
import { describeProcfsFailure, openProcfs } from '../procfs-backend.js';

interface DoctorOptions {
  readonly json?: boolean;
  readonly kernelRelease?: string;
  readonly root: string;
  readonly configRoot: string;
}

/** Install paths of systemd-binfmt, which writes -1 to `status` (removing every entry) when it starts. */
const SYSTEMD_BINFMT_PATHS = ['/usr/lib/systemd/systemd-binfmt', '/lib/systemd/systemd-binfmt'];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function kernelFindings(features: KernelFeatures | null, release: string): Finding[] {
  if (features === null) {
    return [
      {
        id: 'kernel-release-unreadable',
        severity: 'warning',
        subject: 'kernel',
        message: `kernel release "${release}" could not be read, so feature checks were skipped`,
      },
    ];
  }
  const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
  return [
    {
      id: 'kernel-features',
      severity: 'ok',
      subject: 'kernel',
      message: `Linux ${release}: flag F ${yesNo(features.fixBinary)} (4.8+), ${features.bufferSize}-byte magic buffer, flag P with AT_FLAGS ${yesNo(features.preserveArgv0Flag)} (5.12+), per-namespace instances ${yesNo(features.namespacedInstances)} (6.7+)`,
    },
  ];
}

async function interpreterFinding(entry: InstalledEntry): Promise<Finding> {
  const { record } = entry;
  const pinned = record.flags.fixBinary;
  const how = pinned ? 'pinned with F at registration' : 'resolved again in each container or chroot';
  const header = await readElfHeader(record.interpreter, { programHeaders: true });
  if (header.isErr()) {
    if (header.error.kind === 'not-found') {
      return pinned
        ? {
            id: 'interpreter-gone',
            severity: 'warning',
            subject: record.name,
            message: `interpreter ${record.interpreter} is gone from disk`,
            why: 'the kernel still runs the copy it opened at registration, but the entry breaks when it is registered again',
            fix: `reinstall the emulator, or qus unregister ${record.name}`,
          }
        : {
            id: 'interpreter-missing',
            severity: 'error',
            subject: record.name,
            message: `interpreter ${record.interpreter} does not exist`,
            why: 'every program this entry matches fails to start',
            fix: `install the emulator, or qus unregister ${record.name}`,
          };
    }
    // Not ELF: a script interpreter (python, wine loaders) or unreadable; only its presence is checked.
    return {
      id: 'interpreter-present',
      severity: 'ok',
      subject: record.name,
      message: `interpreter ${record.interpreter} present (${how})`,
    };
  }
  const linkage = header.value.linkage;
  // Native interpreters (python, wine) are dynamic as a rule; an emulator must be static to work in containers.
  const emulator = record.name.startsWith('qemu-') || /qemu/.test(record.interpreter);
  if (linkage?.kind === 'dynamic' && !emulator) {
    return {
      id: 'interpreter-present',
      severity: 'ok',
      subject: record.name,
      message: `interpreter ${record.interpreter} present, dynamic, ${how}`,
    };
  }
  if (linkage?.kind === 'dynamic') {
    return {
      id: 'interpreter-dynamic',
      severity: 'warning',
      subject: record.name,
      message: `interpreter ${record.interpreter} is dynamically linked (loader ${linkage.interpreter}), ${how}`,
      why: pinned
        ? 'F pins only the interpreter, not its shared libraries, so it fails in containers that lack them'
        : 'it fails in every container or chroot that lacks it and its libraries',
      fix: 'install the static emulators (qemu-user-static) and register them with qus register --replace',
    };
  }
  return {
    id: 'interpreter-present',
    severity: 'ok',
    subject: record.name,
    message: `interpreter ${record.interpreter} present, static, ${how}`,
  };
}

async function nativeFindings(state: BackendState, native: ReadonlyMap<string, NativeVerdict>): Promise<Finding[]> {
  const findings: Finding[] = [];
  const own = await readElfHeader(process.execPath);
  if (own.isOk()) {
    const { winner } = matchFile({ bytes: own.value.bytes }, state.entries, { instanceEnabled: state.enabled });
    if (winner !== null) {
      findings.push({
        id: 'native-programs-matched',
        severity: 'error',
        subject: winner.record.name,
        message: `entry ${winner.record.name} matches this host's own programs (${process.execPath})`,
        why: 'every native program then starts through the emulator, which is slow or fails',
        fix: `qus unregister ${winner.record.name}`,
      });
    }
  }
  // A disabled entry or instance sends nothing through the emulator, so only enabled ones count.
  if (!state.enabled) return findings;
  for (const entry of state.entries) {
    if (!entry.enabled || !entry.record.name.startsWith('qemu-')) continue;
    const cpu = entry.record.name.slice('qemu-'.length);
    const verdict = native.get(cpu);
    if (verdict?.runs !== true) continue;
    const evidence = verdict.inferred ? ` (inferred from ${verdict.basis})` : '';
    findings.push({
      id: 'native-target-registered',
      severity: 'warning',
      subject: entry.record.name,
      message: `${cpu} programs run natively on this host${evidence}, but ${entry.record.name} sends them through the emulator`,
      why: 'native execution is many times faster',
      fix: `qus unregister ${entry.record.name}`,
    });
  }
  return findings;
}

function overlapFindings(state: BackendState): Finding[] {
  return findOverlaps(state.entries.map((entry) => entry.record)).map((overlap) =>
    overlap.kind === 'shadowed'
      ? {
          id: 'entry-shadowed',
          severity: 'warning',
          subject: overlap.older,
          message: `entry ${overlap.older} never runs: ${overlap.newer} is newer and matches every file it matches`,
          why: 'the kernel tries the newest entry first',
          fix: `qus unregister ${overlap.older}`,
        }
      : {
          id: 'entries-overlap',
          severity: 'warning',
          subject: overlap.older,
          message: `entries ${overlap.older} and ${overlap.newer} can match the same file, and ${overlap.newer} wins it`,
          why: 'the kernel tries the newest entry first',
        },
  );
}

/** Find the catalogue target whose `qus register` entry is named `name` (`qemu-<cpu>`). */
function qemuTargetOf(name: string): Target | undefined {
  return catalogue.find((target) => `qemu-${target.name}` === name);
}

/** Build the fix that registers a binfmt.d entry again. `qus register` is offered only for QEMU's own entries. */
function restoreFix(name: string): string {
  const target = qemuTargetOf(name);
  return target === undefined
    ? 'systemctl restart systemd-binfmt'
    : `systemctl restart systemd-binfmt, or qus register ${target.name}`;
}

/** Build the fix for a live entry that differs from its binfmt.d file. `qus emit` writes only QEMU's entries. */
function keepLiveFix(name: string): string {
  const target = qemuTargetOf(name);
  return target === undefined
    ? 'systemctl restart systemd-binfmt'
    : `qus emit ${target.name} --force (to keep the live entry), or systemctl restart systemd-binfmt`;
}

async function persistenceFindings(state: BackendState, configRoot: string): Promise<Finding[]> {
  const config = await readSystemdConfig(configRoot === '' ? {} : { root: configRoot });
  const findings: Finding[] = [];
  const live = new Map(state.entries.map((entry) => [entry.record.name, entry.record]));
  const persisted = new Map(config.records.map((record) => [record.name, record]));
  for (const [name, record] of persisted) {
    const current = live.get(name);
    if (current === undefined) {
      findings.push({
        id: 'persistent-not-registered',
        severity: 'warning',
        subject: name,
        message: `binfmt.d has ${name}, but it is not registered now`,
        why: 'the live entries differ from what the next boot registers',
        fix: restoreFix(name),
      });
    } else if (!recordsEqual(current, record)) {
      findings.push({
        id: 'persistent-differs',
        severity: 'warning',
        subject: name,
        message: `the live entry ${name} differs from its binfmt.d file`,
        why: 'the next boot replaces the live entry with the file',
        fix: keepLiveFix(name),
      });
    }
  }
  let systemdBinfmt = false;
  for (const path of SYSTEMD_BINFMT_PATHS) systemdBinfmt ||= await exists(`${configRoot}${path}`);
  const unpersisted = state.entries.map((entry) => entry.record.name).filter((name) => !persisted.has(name));
  if (systemdBinfmt && unpersisted.length > 0) {
    findings.push({
      id: 'systemd-binfmt-flush',
      severity: 'warning',
      subject: 'systemd-binfmt',
      message: `${unpersisted.join(', ')} ${unpersisted.length === 1 ? 'is' : 'are'} in no binfmt.d file`,
      why: "systemd-binfmt removes every entry, other tools' included, when it starts (at boot or on restart)",
      fix: `qus emit ${
        unpersisted
          .filter((name) => name.startsWith('qemu-'))
          .map((name) => name.slice('qemu-'.length))
          .join(' ') || 'TARGET…'
      } to keep QEMU entries across a restart`,
    });
  }
  for (const error of config.errors) {
    findings.push({
      id: 'binfmt-d-invalid',
      severity: 'warning',
      subject: 'binfmt.d',
      message: `a binfmt.d file has a problem (${error.kind})`,
      fix: 'qus lint /etc/binfmt.d/*.conf',
    });
  }
  return findings;
}

function printFinding(context: CommandContext, finding: Finding): void {
  const label =
    finding.severity === 'error'
      ? context.out.red('error')
      : finding.severity === 'warning'
        ? context.out.yellow('warning')
        : context.out.green('ok');
  context.data(`${label}  ${finding.subject}: ${finding.message}`);
  if (finding.why !== undefined) context.data(`         why: ${finding.why}`);
  if (finding.fix !== undefined) context.data(`         fix: ${finding.fix}`);
}

/** Check that binfmt_misc is there, mounted and enabled, and read its entries if it is mounted. */
async function instanceFindings(root: string): Promise<{ findings: Finding[]; state: BackendState | null }> {
  const backend = openProcfs(root);
  const instance = await backend.detect();
  if (instance.isErr()) {
    const message = describeProcfsFailure(instance.error, false);
    return {
      findings: [{ id: 'binfmt-misc-unreadable', severity: 'error', subject: 'binfmt_misc', message }],
      state: null,
    };
  }
  if (instance.value.state === 'unsupported') {
    const finding: Finding = {
      id: 'binfmt-misc-unsupported',
      severity: 'error',
      subject: 'binfmt_misc',
      message: 'the kernel has no binfmt_misc filesystem',
      why: 'no foreign program can run through binfmt_misc',
      fix: 'modprobe binfmt_misc, or use qus exec (no kernel support needed)',
    };
    return { findings: [finding], state: null };
  }
  if (instance.value.state === 'not-mounted') {
    const finding: Finding = {
      id: 'binfmt-misc-not-mounted',
      severity: 'error',
      subject: 'binfmt_misc',
      message: `binfmt_misc is not mounted at ${root}`,
      why: 'nothing can be registered or read there',
      fix: describeMountFix(root, false, existsSync(root)),
    };
    return { findings: [finding], state: null };
  }
  const read = await backend.read();
  if (read.isErr()) {
    const message = describeProcfsFailure(read.error, false);
    return {
      findings: [{ id: 'binfmt-misc-unreadable', severity: 'error', subject: 'binfmt_misc', message }],
      state: null,
    };
  }
  const state = read.value;
  const finding: Finding = {
    id: 'binfmt-misc-status',
    severity: state.enabled ? 'ok' : 'error',
    subject: 'binfmt_misc',
    message: `mounted at ${root}, ${state.enabled ? 'enabled' : 'disabled'}, ${state.entries.length} entries`,
    ...(state.enabled ? {} : { why: 'a disabled instance matches nothing', fix: `echo 1 > ${root}/status (as root)` }),
  };
  return { findings: [finding], state };
}

async function runDoctor(context: CommandContext, options: DoctorOptions): Promise<number> {
  const instance = await instanceFindings(options.root);
  const state = instance.state;
  // With the entries, a probe that an entry would run (qemu-arm on arm64) reports unknown
  // instead of "runs natively".
  const host = await probeHost({
    entries: state?.entries ?? [],
    ...(options.kernelRelease === undefined ? {} : { kernelRelease: options.kernelRelease }),
  });
  const features = host.kernel === null ? null : kernelFeatures(host.kernel);

  const findings: Finding[] = [...kernelFindings(features, host.kernelRelease), ...instance.findings];
  if (state !== null) {
    for (const entry of state.entries) findings.push(await interpreterFinding(entry));
    if (features !== null) findings.push(...flagFindings(state.entries, features, host.kernelRelease, options.root));
    findings.push(...disabledEntryFindings(state, options.root));
    findings.push(...armFindings(host, state.entries));
    const native = await decideNativeTargets(host, defaultKernelConfigSources(host.kernelRelease));
    findings.push(...(await nativeFindings(state, native)));
    findings.push(...overlapFindings(state));
    findings.push(...(await persistenceFindings(state, options.configRoot)));
  }

  const failed = findings.some((finding) => finding.severity === 'error');
  if (options.json === true) {
    context.data(
      JSON.stringify(
        {
          root: options.root,
          host: { machine: host.machine, kernelRelease: host.kernelRelease, probes: host.probes },
          features,
          entries: state?.entries.map(entryToJson) ?? [],
          findings,
        },
        null,
        2,
      ),
    );
  } else {
    for (const finding of findings) printFinding(context, finding);
  }
  return failed ? EXIT_FAILURE : 0;
}

/** Add `qus doctor`. */
export function defineDoctorCommand(program: Command, context: CommandContext, finish: (code: number) => void): void {
  program
    .command('doctor')
    .description(
      'check binfmt_misc, kernel features, every entry and the binfmt.d files; each finding says why it matters and how to fix it',
    )
    .option('--json', 'print the findings as JSON')
    .option('--root <dir>', 'binfmt_misc mount point', '/proc/sys/fs/binfmt_misc')
    .option(
      '--kernel-release <release>',
      'check the entries against this kernel release ("uname -r" form) instead of the running one, such as a kernel you will boot',
    )
    .option('--config-root <dir>', 'prefix of the binfmt.d folders (/etc/binfmt.d, /usr/lib/binfmt.d, ...)', '')
    .addHelpText(
      'after',
      `
Exits 1 when any finding is an error. Only reads: nothing is registered, mounted or written.

Examples:
  $ qus doctor
  $ qus doctor --json | jq '.findings[] | select(.severity != "ok")'`,
    )
    .action(async (options: DoctorOptions) => finish(await runDoctor(context, options)));
}
