import {
  type BinfmtFlags,
  targets as catalogue,
  formatRegisterString,
  kernelFeatures,
  type MagicRecord,
  normalizeHostMachine,
  planHostTargets,
  register,
  resolveTarget,
  type SkipReason,
  type Target,
} from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import { type EmulatorLocation, type EmulatorOptions, locateEmulator } from './emulator-layout.js';
import type { CliError } from './errors.js';
import type { HostReport } from './host-facts.js';

/** The request behind `register`, `emit` or `--install`. */
export interface PlanRequest {
  /** Target names as typed; empty means the targets this host needs. */
  readonly names: readonly string[];
  /** Every target except the host's own CPU and what it runs natively. */
  readonly all: boolean;
  /**
   * Whether the host plan skips targets of the host's family when no probe could tell
   * (QEMU's rule); `undefined` follows `all`.
   */
  readonly ignoreFamily?: boolean;
  /**
   * The handling of a named target that is the host's own CPU: `reject` for the live
   * machine, where its entry would send every native program through QEMU, or `allow` for
   * files that may be meant for another machine.
   */
  readonly hostCpuNamed: 'reject' | 'allow';
  readonly flags: BinfmtFlags;
  readonly emulator: EmulatorOptions;
  readonly host: HostReport;
}

/** One record the plan registers, with its emulator and its exact register line. */
export interface PlannedRecord {
  readonly target: Target;
  readonly record: MagicRecord;
  readonly emulator: EmulatorLocation;
  /** The string written to `register`, without the newline. */
  readonly line: string;
}

/** The records to register and the targets left out, with the reason. */
export interface RegisterPlan {
  readonly planned: readonly PlannedRecord[];
  readonly skipped: readonly { readonly target: Target; readonly reason: SkipReason }[];
  /** Whether the user named the targets (then a missing emulator is an error, not a skip). */
  readonly named: boolean;
  /** Targets the user named that the probe saw running natively. */
  readonly nativeNamed: readonly Target[];
  /** The named target that is the host's own CPU, when `hostCpuNamed` allowed it. */
  readonly hostCpuTarget: Target | null;
}

function resolveNames(names: readonly string[]): Result<Target[], CliError> {
  const resolved: Target[] = [];
  for (const name of names) {
    const target = resolveTarget(name);
    if (target.isErr()) return err(target.error);
    if (!resolved.includes(target.value)) resolved.push(target.value);
  }
  return ok(resolved);
}

/**
 * Decide which records to register. Named targets are taken as given, except the
 * host's own CPU, which is rejected unless `hostCpuNamed` is `allow`. Without names,
 * core's host plan decides, from the probe when it could tell and QEMU's family rule
 * otherwise (`ignoreFamily`, or else `all`, ignores the family).
 */
export async function buildRegisterPlan(request: PlanRequest): Promise<Result<RegisterPlan, CliError>> {
  const { host } = request;
  const hostCpu = normalizeHostMachine(host.machine);
  let chosen: Target[];
  let skipped: { target: Target; reason: SkipReason }[] = [];
  const named = request.names.length > 0;
  let hostCpuTarget: Target | null = null;
  if (named) {
    const resolved = resolveNames(request.names);
    if (resolved.isErr()) return err(resolved.error);
    hostCpuTarget = resolved.value.find((target) => target.name === hostCpu) ?? null;
    if (hostCpuTarget !== null && request.hostCpuNamed === 'reject') {
      return err({ kind: 'native-target', target: hostCpuTarget.name, machine: host.machine });
    }
    chosen = resolved.value;
  } else {
    const plan = planHostTargets(
      host.runsNatively === undefined
        ? { machine: host.machine }
        : { machine: host.machine, runsNatively: host.runsNatively },
      { ignoreFamily: request.ignoreFamily ?? request.all },
    );
    if (plan.isErr()) return err(plan.error);
    chosen = [...plan.value.targets];
    skipped = [...plan.value.skipped];
  }
  const nativeNamed = named
    ? chosen.filter((target) => (host.runsNatively ?? []).includes(target.interpreterName.slice('qemu-'.length)))
    : [];

  const validation = host.kernel === null ? {} : { kernel: kernelFeatures(host.kernel) };
  const planned: PlannedRecord[] = [];
  // Keep the catalogue's order, so that plans read the same whatever order names were typed in.
  for (const target of catalogue.filter((candidate) => chosen.includes(candidate))) {
    const emulator = await locateEmulator(target, request.emulator);
    const records = register([target], { layout: emulator.layout, flags: request.flags, validation });
    if (records.isErr()) return err(records.error);
    const record = records.value[0] as MagicRecord;
    const line = formatRegisterString(record);
    if (line.isErr()) return err(line.error);
    planned.push({ target, record, emulator, line: line.value });
  }
  return ok({ planned, skipped, named, nativeNamed, hostCpuTarget });
}
