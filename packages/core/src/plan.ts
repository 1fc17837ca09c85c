import { err, ok, type Result } from 'neverthrow';
import { type Target, targets } from './catalogue.js';
import { resolveTarget, type UnknownTargetError } from './resolve-target.js';

/** Facts about the host. Probing them is the caller's job. */
export interface HostFacts {
  /** `uname -m`. */
  readonly machine: string;
  /**
   * Targets (any accepted name) the host was seen to run natively, from executing a
   * tiny program of each class. When given, it replaces QEMU's family rule, which
   * wrongly assumes every arm64 host runs 32-bit arm.
   */
  readonly runsNatively?: readonly string[];
}

/** Options of {@link planHostTargets}. */
export interface PlanOptions {
  /**
   * QEMU's `--ignore-family yes`: register same-family targets too, except the host's
   * own CPU. Used only without a probe.
   * @default false
   */
  readonly ignoreFamily?: boolean;
  /** Targets to register whatever the rules decide. */
  readonly include?: readonly string[];
  /** Targets never to register. */
  readonly exclude?: readonly string[];
}

/** The reason a target is left out of a plan. */
export type SkipReason = 'host-cpu' | 'same-family' | 'runs-natively' | 'excluded';

/** The targets a host needs, and the ones it does not with the reason. */
export interface HostPlan {
  /** The catalogue target of the host's own CPU. */
  readonly host: Target;
  readonly targets: readonly Target[];
  readonly skipped: readonly { readonly target: Target; readonly reason: SkipReason }[];
}

/** A `uname -m` value that is not a QEMU CPU after normalisation. */
export interface UnknownHostError {
  readonly kind: 'unknown-host';
  readonly machine: string;
}

/** The reason no plan could be made. */
export type PlanError = UnknownHostError | UnknownTargetError;

/**
 * Normalise `uname -m` as `qemu-binfmt-conf.sh` (QEMU 10.0) does: `i[3-6]86` → `i386`,
 * `amd64` → `x86_64`, `powerpc` → `ppc`, `ppc64el` → `ppc64le`, `armel`, `armhf`,
 * `armv[4-9]*l` → `arm`, `armv[4-9]*b` → `armeb`, `arm64` → `aarch64`.
 */
export function normalizeHostMachine(machine: string): string {
  if (/^i[3-6]86$/.test(machine)) return 'i386';
  if (machine === 'amd64') return 'x86_64';
  if (machine === 'powerpc') return 'ppc';
  if (machine === 'ppc64el') return 'ppc64le';
  if (machine === 'armel' || machine === 'armhf' || /^armv[4-9].*l$/.test(machine)) return 'arm';
  if (/^armv[4-9].*b$/.test(machine)) return 'armeb';
  if (machine === 'arm64') return 'aarch64';
  return machine;
}

/** The CPU a target's emulator is named after: i486 runs `qemu-i386`. */
function emulatedCpu(target: Target): string {
  return target.interpreterName.slice('qemu-'.length);
}

function resolveAll(names: readonly string[]): Result<Target[], UnknownTargetError> {
  const resolved: Target[] = [];
  for (const name of names) {
    const target = resolveTarget(name);
    if (target.isErr()) return err(target.error);
    resolved.push(target.value);
  }
  return ok(resolved);
}

/**
 * Decide which targets a host should register. Without a probe this is QEMU's rule:
 * skip a target of the host's family unless `ignoreFamily` is set, and always skip the
 * host's own CPU. With {@link HostFacts.runsNatively}, skip exactly the host's CPU and
 * what the probe ran.
 *
 * @example
 * planHostTargets({ machine: 'x86_64', runsNatively: ['i386'] })
 */
export function planHostTargets(facts: HostFacts, options: PlanOptions = {}): Result<HostPlan, PlanError> {
  const hostCpu = normalizeHostMachine(facts.machine);
  const host = targets.find((target) => target.name === hostCpu);
  if (host === undefined) return err({ kind: 'unknown-host', machine: facts.machine });

  const include = resolveAll(options.include ?? []);
  if (include.isErr()) return err(include.error);
  const exclude = resolveAll(options.exclude ?? []);
  if (exclude.isErr()) return err(exclude.error);
  const native = facts.runsNatively === undefined ? undefined : resolveAll(facts.runsNatively);
  if (native?.isErr()) return err(native.error);
  const nativeCpus = new Set(native?.isOk() ? native.value.map(emulatedCpu) : []);

  const planned: Target[] = [];
  const skipped: { target: Target; reason: SkipReason }[] = [];
  for (const target of targets) {
    const cpu = emulatedCpu(target);
    let reason: SkipReason | null = null;
    if (exclude.value.includes(target)) reason = 'excluded';
    else if (include.value.includes(target)) reason = null;
    else if (cpu === hostCpu) reason = 'host-cpu';
    else if (native !== undefined) reason = nativeCpus.has(cpu) ? 'runs-natively' : null;
    else if (target.family === host.family && options.ignoreFamily !== true) reason = 'same-family';

    if (reason === null) planned.push(target);
    else skipped.push({ target, reason });
  }
  return ok({ host, targets: planned, skipped });
}
