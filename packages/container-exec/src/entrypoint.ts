import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { machine, release } from 'node:os';
import {
  createFlags,
  formatFlagsAsKernel,
  interpreterPath,
  kernelFeatures,
  parseKernelVersion,
  planHostTargets,
  register,
  resolveTarget,
  type SkipReason,
  type Target,
  type TargetName,
} from '@qus/core';
import { createProcfsBackend } from '@qus/procfs';
import { err, ok, type Result } from 'neverthrow';
import { match } from 'ts-pattern';
import type { ContainerExecError } from './errors.js';
import { DEFAULT_DIRECTORY_LAYOUT, type DirectoryLayout } from './internal/host.js';
import { type RunOutcome, runChild, type StdioSetting } from './internal/run-child.js';

/** Options of {@link runEntrypoint}. */
export interface EntrypointOptions {
  /**
   * Folder and name pattern of the image's emulators.
   * @default { kind: 'directory', directory: '/usr/bin', suffix: '-static' }
   */
  readonly layout?: DirectoryLayout;
  /**
   * Mount point of binfmt_misc; it is mounted there when nothing is.
   * @default '/proc/sys/fs/binfmt_misc'
   */
  readonly root?: string;
  /**
   * Targets to register, by any name `resolveTarget` accepts. A named target whose
   * emulator is missing is a failure.
   * @default every target with an emulator in the image, except those the host runs natively by QEMU's family rule
   */
  readonly targets?: readonly string[];
  /**
   * Register targets of the host's own family too (i386 on x86-64, arm on aarch64), as
   * `qemu-binfmt-conf.sh --ignore-family yes` does. The host's own CPU is never registered.
   * @default false
   */
  readonly ignoreFamily?: boolean;
  /**
   * Entry flags. `F` pins each emulator at registration, so the entries keep working
   * after the container and its filesystem are gone.
   * @default 'PF' on Linux 5.12 and later, 'F' before (see the `P` flag's kernel and QEMU requirements)
   */
  readonly flags?: string;
  /** A command to run after every entry is registered; its exit status becomes the report's. */
  readonly command?: readonly string[];
  /**
   * Kernel release that decides the default flags, as `uname -r` prints it.
   * @default os.release()
   */
  readonly kernelRelease?: string;
  /**
   * Receives each report line (without a newline).
   * @default writes the line and a newline to standard output
   */
  readonly print?: (line: string) => void;
  /** Environment of the command. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Standard streams of the command. @default 'inherit' */
  readonly stdio?: StdioSetting;
}

/** The registration result of one target. */
export interface EntrypointTargetResult {
  readonly target: TargetName;
  /** The entry name, `qemu-<target>`. */
  readonly name: string;
  readonly status: 'registered' | 'unchanged' | 'replaced' | 'failed' | 'skipped';
  /** The reason a target failed or was skipped. */
  readonly reason?: string;
}

/** The outcome of {@link runEntrypoint}. */
export interface EntrypointReport {
  readonly results: readonly EntrypointTargetResult[];
  /** Warnings of the backend (overlapping entries, entries matching native programs). */
  readonly warnings: readonly string[];
  /** The command's outcome, or `null` when none was given or registration failed. */
  readonly command: RunOutcome | null;
  /** 0 when every entry is in place (and the command, if any, exited 0); otherwise non-zero. */
  readonly exitCode: number;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

function skipText(reason: SkipReason): string {
  return match(reason)
    .with('host-cpu', () => "the host's own CPU")
    .with('same-family', () => "runs natively in the host's family; pass --ignore-family to register it")
    .with('runs-natively', () => 'runs natively on this host')
    .with('excluded', () => 'excluded')
    .exhaustive();
}

interface TargetPlan {
  readonly planned: readonly Target[];
  readonly skipped: readonly { readonly target: Target; readonly reason: string }[];
}

function planTargets(options: EntrypointOptions): Result<TargetPlan, ContainerExecError> {
  if (options.targets !== undefined) {
    const planned: Target[] = [];
    for (const name of options.targets) {
      const target = resolveTarget(name);
      if (target.isErr()) return err({ kind: 'unknown-target', error: target.error });
      if (!planned.includes(target.value)) planned.push(target.value);
    }
    return ok({ planned, skipped: [] });
  }
  const plan = planHostTargets({ machine: machine() }, { ignoreFamily: options.ignoreFamily ?? false });
  if (plan.isErr()) {
    return err(
      plan.error.kind === 'unknown-host'
        ? { kind: 'unknown-host', machine: plan.error.machine }
        : { kind: 'unknown-target', error: plan.error },
    );
  }
  const skipped = plan.value.skipped.map(({ target, reason }) => ({ target, reason: skipText(reason) }));
  return ok({ planned: plan.value.targets, skipped });
}

function defaultFlags(kernelRelease: string): string {
  const version = parseKernelVersion(kernelRelease);
  // Before Linux 5.12 the kernel does not tell QEMU about P, and the guest would get an extra argument.
  return version.isOk() && kernelFeatures(version.value).preserveArgv0Flag ? 'PF' : 'F';
}

function summaryLine(results: readonly EntrypointTargetResult[]): string {
  const count = (status: EntrypointTargetResult['status']): number =>
    results.filter((result) => result.status === status).length;
  const changed = count('registered') + count('replaced');
  return `qus: ${changed} registered, ${count('unchanged')} unchanged, ${count('failed')} failed, ${count('skipped')} skipped`;
}

function resultLine(result: EntrypointTargetResult, interpreter: string | undefined, flags: string): string {
  return match(result.status)
    .with(
      'registered',
      'replaced',
      'unchanged',
      (status) => `${result.name}: ${status} ${interpreter} (flags ${flags})`,
    )
    .with('failed', () => `${result.name}: failed: ${result.reason ?? 'unknown error'}`)
    .with('skipped', () => `${result.name}: skipped: ${result.reason ?? ''}`)
    .exhaustive();
}

/**
 * Register the image's own static emulators with the kernel, as the entrypoint of a
 * privileged container. It mounts binfmt_misc when nothing is mounted and registers each
 * target with `F`, so the entries outlive the container. It prints one line per target
 * and a summary, and optionally runs a command afterwards. Entries of the same name are
 * replaced, so running it again is safe.
 *
 * @returns the report; its `exitCode` is non-zero when any target failed or the command did
 * @example
 * const report = await runEntrypoint({ command: ['/bin/sh', '-c', 'make test'] });
 * // prints "qemu-aarch64: registered /usr/bin/qemu-aarch64-static (flags PF)" …, "qus: 30 registered, …"
 */
export async function runEntrypoint(
  options: EntrypointOptions = {},
): Promise<Result<EntrypointReport, ContainerExecError>> {
  const layout = options.layout ?? DEFAULT_DIRECTORY_LAYOUT;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const kernelRelease = options.kernelRelease ?? release();
  const flags = options.flags ?? defaultFlags(kernelRelease);

  const plan = planTargets(options);
  if (plan.isErr()) return err(plan.error);

  // Targets whose emulator is not in the image: skipped by default, failed when named.
  const results: EntrypointTargetResult[] = [];
  const present: Target[] = [];
  for (const target of plan.value.planned) {
    const emulator = interpreterPath(target, layout);
    if (await isExecutable(emulator)) {
      present.push(target);
      continue;
    }
    const reason = `no emulator at ${emulator}`;
    results.push({
      target: target.name,
      name: `qemu-${target.name}`,
      status: options.targets === undefined ? 'skipped' : 'failed',
      reason,
    });
  }
  if (present.length === 0 && options.targets === undefined) {
    return err({ kind: 'no-emulators', directory: layout.directory, suffix: layout.suffix ?? '' });
  }

  const records = register(present, { layout, flags });
  if (records.isErr()) {
    return err(
      records.error.kind === 'unknown-target'
        ? { kind: 'unknown-target', error: records.error }
        : { kind: 'invalid-record', error: records.error },
    );
  }
  const backend = createProcfsBackend({
    ...(options.root === undefined ? {} : { root: options.root }),
    mount: true,
    kernelRelease,
  });
  const applied = await backend.apply(records.value, { replace: true, onError: 'continue' });
  if (applied.isErr())
    return err({ kind: 'backend-failed', backend: backend.name, detail: backend.describeError(applied.error) });

  for (const [index, outcome] of applied.value.outcomes.entries()) {
    const target = present[index] as Target;
    const status = outcome.status === 'rolled-back' ? 'failed' : outcome.status;
    const reason =
      outcome.status === 'failed'
        ? backend.describeError(outcome.error)
        : outcome.status === 'skipped'
          ? 'not attempted after an earlier failure'
          : undefined;
    results.push({ target: target.name, name: outcome.name, status, ...(reason === undefined ? {} : { reason }) });
  }
  for (const { target, reason } of plan.value.skipped) {
    results.push({ target: target.name, name: `qemu-${target.name}`, status: 'skipped', reason });
  }

  const interpreters = new Map(records.value.map((record) => [record.name, record.interpreter]));
  const kernelFlags = formatFlagsAsKernel(records.value[0]?.flags ?? createFlags(flags));
  for (const result of results) print(resultLine(result, interpreters.get(result.name), kernelFlags));
  const warnings = applied.value.warnings.map((warning) => warning.message);
  for (const warning of warnings) print(`warning: ${warning}`);
  print(summaryLine(results));

  const failed = results.some((result) => result.status === 'failed');
  if (failed || options.command === undefined || options.command.length === 0) {
    return ok({ results, warnings, command: null, exitCode: failed ? 1 : 0 });
  }
  const [file, ...args] = options.command as [string, ...string[]];
  const outcome = await runChild(file, args, { env: options.env ?? process.env, stdio: options.stdio });
  if (outcome.isErr()) return err(outcome.error);
  return ok({ results, warnings, command: outcome.value, exitCode: outcome.value.exitCode });
}
