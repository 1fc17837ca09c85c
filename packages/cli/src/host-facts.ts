import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { machine as osMachine, release as osRelease, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type InstalledEntry,
  type KernelVersion,
  matchFile,
  normalizeHostMachine,
  parseKernelVersion,
  type TargetName,
} from '@qus/core';
import { ARM_EXIT_ZERO, buildElf32, I386_EXIT_ZERO, type TinyElfSpec } from './tiny-elf.js';

/** The result of probing one foreign target. */
export type ProbeOutcome =
  /** The tiny program exited 0: the host runs this target natively. */
  | 'runs'
  /** The kernel refused the program (ENOEXEC) or it did not exit 0. */
  | 'does-not-run'
  /** The probe could not tell, for example because /tmp is mounted noexec or an emulator entry matched it. */
  | 'unknown';

/** One probe: the target it stands for, the outcome and a short reason. */
export interface ProbeResult {
  readonly target: TargetName;
  readonly outcome: ProbeOutcome;
  readonly detail: string;
}

/** The host facts every command that plans or checks registrations uses. */
export interface HostReport {
  /** `uname -m`. */
  readonly machine: string;
  /** `uname -r`. */
  readonly kernelRelease: string;
  /** The parsed kernel version, or `null` when `kernelRelease` does not start with MAJOR.MINOR. */
  readonly kernel: KernelVersion | null;
  readonly probes: readonly ProbeResult[];
  /**
   * Targets the probes ran, for core's `planHostTargets`. `undefined` when this host CPU
   * has no probe or some probe could not tell, so that the plan falls back to QEMU's
   * family rule.
   */
  readonly runsNatively: readonly string[] | undefined;
}

/** Options of {@link probeHost}; each fact can be given instead of read from this machine. */
export interface ProbeHostOptions {
  /** @default os.machine() */
  readonly machine?: string;
  /** @default os.release() */
  readonly kernelRelease?: string;
  /** Live binfmt_misc entries: a probe one of them would run is reported `unknown`. */
  readonly entries?: readonly InstalledEntry[];
  /** Skip executing programs; every probe is then `unknown`. */
  readonly skipProbes?: boolean;
}

/**
 * Foreign targets each host CPU may run natively, and the program that tests it. x86-64
 * CPUs run i386 code unless the kernel lacks IA32 emulation. Some arm64 CPUs (Apple's
 * M-series among them) have no AArch32 state, so they cannot run 32-bit arm code.
 */
const PROBES: Readonly<Record<string, readonly { target: TargetName; program: TinyElfSpec }[]>> = {
  x86_64: [{ target: 'i386', program: I386_EXIT_ZERO }],
  aarch64: [{ target: 'arm', program: ARM_EXIT_ZERO }],
};

const PROBE_TIMEOUT_MS = 5000;

function runProgram(path: string): Promise<{ code: number | null; errorCode: string | null }> {
  return new Promise((resolve) => {
    execFile(path, [], { timeout: PROBE_TIMEOUT_MS }, (error) => {
      if (error === null) {
        resolve({ code: 0, errorCode: null });
        return;
      }
      const code = typeof error.code === 'number' ? error.code : null;
      const errorCode = typeof error.code === 'string' ? error.code : null;
      resolve({ code, errorCode });
    });
  });
}

async function runProbe(
  directory: string,
  target: TargetName,
  program: TinyElfSpec,
  entries: readonly InstalledEntry[],
): Promise<ProbeResult> {
  const bytes = buildElf32(program);
  const { winner } = matchFile({ bytes }, entries);
  if (winner !== null) {
    return { target, outcome: 'unknown', detail: `binfmt_misc entry ${winner.record.name} would run the probe` };
  }
  const path = join(directory, `probe-${target}`);
  try {
    await writeFile(path, bytes);
    await chmod(path, 0o700);
  } catch (error) {
    return { target, outcome: 'unknown', detail: `could not write ${path}: ${String(error)}` };
  }
  const result = await runProgram(path);
  if (result.code === 0) return { target, outcome: 'runs', detail: 'a 32-bit test program exited 0' };
  // NOTE: libuv starts programs with execvp(), and glibc's execvp() hands a file the kernel
  // rejects (ENOEXEC) to /bin/sh, so a foreign program usually shows up as a shell error
  // status (2 or 127) rather than as ENOEXEC. Any status but 0 means the host cannot run it.
  if (result.errorCode === 'ENOEXEC' || result.code !== null) {
    const how = result.code === null ? 'ENOEXEC' : `status ${result.code}`;
    return { target, outcome: 'does-not-run', detail: `a 32-bit test program did not run (${how})` };
  }
  return { target, outcome: 'unknown', detail: `executing ${path} failed with ${result.errorCode ?? 'a signal'}` };
}

/**
 * Read the machine, the kernel release, and which foreign targets this host runs without
 * an emulator, by executing a tiny program of each such class from a temporary folder.
 *
 * @example
 * const host = await probeHost();
 * planHostTargets({ machine: host.machine, runsNatively: host.runsNatively });
 */
export async function probeHost(options: ProbeHostOptions = {}): Promise<HostReport> {
  const machine = options.machine ?? osMachine();
  const kernelRelease = options.kernelRelease ?? osRelease();
  const parsed = parseKernelVersion(kernelRelease);
  const kernel = parsed.isOk() ? parsed.value : null;
  const candidates = PROBES[normalizeHostMachine(machine)] ?? [];

  const probes: ProbeResult[] = [];
  if (options.skipProbes === true || candidates.length === 0) {
    for (const { target } of candidates) probes.push({ target, outcome: 'unknown', detail: 'not probed' });
  } else {
    const directory = await mkdtemp(join(tmpdir(), 'qus-probe-'));
    try {
      for (const { target, program } of candidates) {
        probes.push(await runProbe(directory, target, program, options.entries ?? []));
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
  // Hosts without a probe keep QEMU's family rule, which is right for them as far as is known.
  const known = candidates.length > 0 && probes.every((probe) => probe.outcome !== 'unknown');
  const runsNatively = known
    ? probes.filter((probe) => probe.outcome === 'runs').map((probe) => probe.target)
    : undefined;
  return { machine, kernelRelease, kernel, probes, runsNatively };
}
