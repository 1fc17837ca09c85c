import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { normalizeHostMachine } from '@qus/core';
import type { HostReport } from './host-facts.js';

/** Whether the host runs one foreign target natively, and the evidence for it. */
export interface NativeVerdict {
  readonly runs: boolean;
  /** The evidence for the verdict, such as the probe's result or a kernel configuration line. */
  readonly basis: string;
  /** True when no test program decided it, so the verdict is an inference. */
  readonly inferred: boolean;
}

/** The files the IA32 inference reads. Tests pass their own. */
export interface KernelConfigSources {
  /** Kernel configuration files, plain or gzip-compressed (`.gz`), tried in order. */
  readonly configPaths: readonly string[];
  /** The kernel command line. */
  readonly cmdlinePath: string;
}

/** List the running kernel's files: `/proc/config.gz` (CONFIG_IKCONFIG_PROC), then Debian's `/boot/config-RELEASE`. */
export function defaultKernelConfigSources(kernelRelease: string): KernelConfigSources {
  return { configPaths: ['/proc/config.gz', `/boot/config-${kernelRelease}`], cmdlinePath: '/proc/cmdline' };
}

async function readConfig(path: string): Promise<string | null> {
  try {
    const bytes = await readFile(path);
    return path.endsWith('.gz') ? (await promisify(gunzip)(bytes)).toString('utf8') : bytes.toString('utf8');
  } catch {
    return null;
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** Parse a boolean kernel parameter as the kernel's kstrtobool() does: 1/y/on true, 0/n/off false. */
function parseKernelBoolean(value: string): boolean | null {
  const lower = value.toLowerCase();
  if (/^(1|y|on|t)/.test(lower)) return true;
  if (/^(0|n|of|f)/.test(lower)) return false;
  return null;
}

/**
 * Decide whether an x86-64 kernel runs i386 programs from its configuration: it needs
 * CONFIG_IA32_EMULATION=y, and since Linux 6.7 `ia32_emulation=` on the command line
 * overrides CONFIG_IA32_EMULATION_DEFAULT_DISABLED. Without a configuration file it falls
 * back to QEMU's family rule, which treats i386 as native on x86_64.
 */
export async function inferIa32Emulation(sources: KernelConfigSources): Promise<NativeVerdict> {
  for (const path of sources.configPaths) {
    const config = await readConfig(path);
    if (config === null) continue;
    if (!/^CONFIG_IA32_EMULATION=y$/m.test(config)) {
      return { runs: false, basis: `no CONFIG_IA32_EMULATION=y in ${path}`, inferred: true };
    }
    const parameter = /(?:^|\s)ia32_emulation=(\S*)/.exec(await readText(sources.cmdlinePath));
    const fromCmdline = parameter?.[1] === undefined ? null : parseKernelBoolean(parameter[1]);
    if (fromCmdline !== null) {
      return {
        runs: fromCmdline,
        basis: `ia32_emulation=${parameter?.[1] ?? ''} in ${sources.cmdlinePath}`,
        inferred: true,
      };
    }
    if (/^CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y$/m.test(config)) {
      return { runs: false, basis: `CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y in ${path}`, inferred: true };
    }
    return { runs: true, basis: `CONFIG_IA32_EMULATION=y in ${path}`, inferred: true };
  }
  return { runs: true, basis: "QEMU's family rule (no kernel configuration was readable)", inferred: true };
}

/**
 * Decide which foreign targets the host runs natively: from the probes where they ran,
 * and for i386 and i486 on x86_64, where an entry caught the probe or it could not run,
 * from the kernel configuration. Targets with no verdict are left out.
 */
export async function decideNativeTargets(
  host: Pick<HostReport, 'machine' | 'probes'>,
  sources: KernelConfigSources,
): Promise<ReadonlyMap<string, NativeVerdict>> {
  const verdicts = new Map<string, NativeVerdict>();
  for (const probe of host.probes) {
    if (probe.outcome !== 'unknown') {
      verdicts.set(probe.target, { runs: probe.outcome === 'runs', basis: probe.detail, inferred: false });
    } else if (probe.target === 'i386' && normalizeHostMachine(host.machine) === 'x86_64') {
      const inferred = await inferIa32Emulation(sources);
      verdicts.set(probe.target, { ...inferred, basis: `${inferred.basis}, since ${probe.detail}` });
    }
    // NOTE: an arm64 host whose probe could not tell gets no verdict, because whether it runs
    // 32-bit arm depends on the CPU (Apple's M-series has no AArch32), not only on the kernel.
  }
  // i486 programs use the i386 instruction set that the same kernel support runs.
  const i386 = verdicts.get('i386');
  if (i386 !== undefined) verdicts.set('i486', i386);
  return verdicts;
}
