import type { Command } from 'commander';
import { Option } from 'commander';
import type { CommandContext } from '../context.js';
import { describeHost, describeSkipped } from '../describe-plan.js';
import { type CliError, EXIT_FAILURE } from '../errors.js';
import { probeHost } from '../host-facts.js';
import { describeCliError, describeMissingEmulators } from '../messages.js';
import { describeProcfsFailure, openProcfs } from '../procfs-backend.js';
import { buildRegisterPlan, type PlannedRecord, type RegisterPlan } from '../register-plan.js';
import {
  addEmulatorOptions,
  addFlagOptions,
  addIgnoreFamilyOption,
  describeResolvedQemuPath,
  type EmulatorOptionValues,
  emulatorOptionsFrom,
  type FlagOptionValues,
  flagsFrom,
  optionalIgnoreFamily,
} from '../shared-options.js';

/** Options of `qus register`, as parsed. */
export interface RegisterOptions extends FlagOptionValues, EmulatorOptionValues {
  readonly all?: boolean;
  readonly ignoreFamily?: 'yes' | 'no';
  readonly root: string;
  readonly mount?: boolean;
  readonly replace?: boolean;
  readonly onError: 'stop' | 'continue' | 'rollback';
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

function plannedToJson(entry: PlannedRecord): Record<string, unknown> {
  return {
    target: entry.target.name,
    name: entry.record.name,
    interpreter: entry.record.interpreter,
    emulatorFound: entry.emulator.exists,
    line: entry.line,
  };
}

function printDryRun(context: CommandContext, plan: RegisterPlan, json: boolean, hostLine: string): number {
  if (json) {
    context.data(
      JSON.stringify(
        {
          records: plan.planned.map(plannedToJson),
          skipped: plan.skipped.map(({ target, reason }) => ({ target: target.name, reason })),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  context.info(hostLine);
  context.info(
    `plan: ${plan.planned.length} target(s)${plan.skipped.length > 0 ? `; left out: ${describeSkipped(plan.skipped)}` : ''}`,
  );
  const missing = plan.planned.filter((entry) => !entry.emulator.exists).map((entry) => entry.emulator.path);
  if (missing.length > 0) {
    context.warn(describeMissingEmulators(missing, plan.named || missing.length === plan.planned.length));
  }
  for (const entry of plan.planned) context.data(entry.line);
  return 0;
}

/** Build the error for planned targets without their emulator: one target by name, more by count. */
function missingEmulatorsError(missing: readonly PlannedRecord[], planned: number): CliError {
  const [first] = missing;
  if (missing.length === 1 && first !== undefined) {
    return { kind: 'emulator-missing', target: first.target.name, path: first.emulator.path };
  }
  // i386 and i486 share qemu-i386, so a path is listed once however many targets need it.
  const paths = [...new Set(missing.map((entry) => entry.emulator.path))];
  return { kind: 'emulators-missing', missing: missing.length, planned, paths };
}

/**
 * Register targets (or the host's plan) with the binfmt_misc instance at `options.root`.
 * Shared by `qus register` and tonistiigi/binfmt's `qus --install`.
 */
export async function runRegister(
  context: CommandContext,
  names: readonly string[],
  options: RegisterOptions,
): Promise<number> {
  const resolvedQemuPath = describeResolvedQemuPath(options);
  if (resolvedQemuPath !== null) context.info(resolvedQemuPath);
  const host = await probeHost();
  const plan = await buildRegisterPlan({
    names,
    all: options.all === true,
    ...optionalIgnoreFamily(options.ignoreFamily),
    hostCpuNamed: 'reject',
    flags: flagsFrom(options),
    emulator: emulatorOptionsFrom(options),
    host,
  });
  if (plan.isErr()) return context.fail(plan.error);
  for (const target of plan.value.nativeNamed) {
    context.warn(
      `${target.name} runs natively on this host; registering it sends those programs through ${target.interpreterName}`,
    );
  }
  if (options.dryRun === true) return printDryRun(context, plan.value, options.json === true, describeHost(host));

  const missing = plan.value.planned.filter((entry) => !entry.emulator.exists);
  const present = plan.value.planned.filter((entry) => entry.emulator.exists);
  // Named targets must all be registered, unless --on-error continue asks to register the
  // rest, and a host plan needs at least one emulator.
  const continueNamed = plan.value.named && options.onError === 'continue';
  if ((plan.value.named && !continueNamed && missing.length > 0) || (missing.length > 0 && present.length === 0)) {
    return context.fail(missingEmulatorsError(missing, plan.value.planned.length));
  }
  if (missing.length > 0 && present.length > 0 && !continueNamed)
    context.warn(
      describeMissingEmulators(
        missing.map((m) => m.emulator.path),
        false,
      ),
    );
  if (present.length === 0) {
    context.info('nothing to register: this host needs no emulator');
    return 0;
  }

  const backend = openProcfs(options.root, options.mount === true);
  const report = await backend.apply(
    present.map((entry) => entry.record),
    { replace: options.replace === true, onError: options.onError },
  );
  if (report.isErr()) {
    return context.fail({ kind: 'backend', backend: backend.name, message: describeProcfsFailure(report.error, true) });
  }

  for (const warning of report.value.warnings) context.warn(warning.message);
  let failed = 0;
  const counts = new Map<string, number>();
  // With --on-error continue, a named target whose emulator is missing is a failed record.
  const missingOutcomes = continueNamed
    ? missing.map((entry) => ({
        name: entry.record.name,
        error: describeCliError({ kind: 'emulator-missing', target: entry.target.name, path: entry.emulator.path }),
      }))
    : [];
  for (const outcome of missingOutcomes) {
    counts.set('failed', (counts.get('failed') ?? 0) + 1);
    failed += 1;
    context.info(`${outcome.name}: ${context.err.red('failed')}: ${outcome.error}`);
  }
  for (const outcome of report.value.outcomes) {
    counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
    if (outcome.status === 'failed') {
      failed += 1;
      context.info(`${outcome.name}: ${context.err.red('failed')}: ${describeProcfsFailure(outcome.error, true)}`);
    } else if (!options.json) {
      const status =
        outcome.status === 'skipped' ? context.err.yellow(outcome.status) : context.err.green(outcome.status);
      context.info(`${outcome.name}: ${status}`);
    }
  }
  for (const failure of report.value.rollbackFailures) {
    failed += 1;
    context.info(
      `${failure.name}: ${context.err.red('rollback failed')}: ${describeProcfsFailure(failure.error, true)}`,
    );
  }
  if (options.json === true) {
    context.data(
      JSON.stringify(
        {
          outcomes: [
            ...missingOutcomes.map((outcome) => ({ name: outcome.name, status: 'failed', error: outcome.error })),
            ...report.value.outcomes.map((outcome) =>
              outcome.status === 'failed'
                ? { name: outcome.name, status: outcome.status, error: describeProcfsFailure(outcome.error, true) }
                : { name: outcome.name, status: outcome.status },
            ),
          ],
          warnings: report.value.warnings,
          rolledBack: report.value.rolledBack,
        },
        null,
        2,
      ),
    );
  }
  const summary = [...counts.entries()].map(([status, count]) => `${count} ${status}`).join(', ');
  context.info(`${failed > 0 || report.value.rolledBack ? 'failed' : 'done'}: ${summary}`);
  return failed > 0 || report.value.rolledBack ? EXIT_FAILURE : 0;
}

/** Add `qus register`. */
export function defineRegisterCommand(program: Command, context: CommandContext, finish: (code: number) => void): void {
  const command = program
    .command('register')
    .description(
      'register QEMU emulators with binfmt_misc; without targets, the ones this host needs whose emulator is installed',
    )
    .argument('[targets...]', 'targets by any accepted name (aarch64, arm64, linux/arm/v7, armv7l); see "qus targets"')
    .option('--all', "every target except the host's own CPU and what it runs natively")
    .option('--root <dir>', 'binfmt_misc mount point', '/proc/sys/fs/binfmt_misc')
    .option('--mount', 'mount binfmt_misc at --root if it is not mounted')
    .option('--replace', 'replace an existing entry of the same name that differs')
    .addOption(
      new Option(
        '--on-error <mode>',
        'when one record fails: stop, continue with the rest (a named target without its emulator fails alone), or roll back this run',
      )
        .choices(['stop', 'continue', 'rollback'])
        .default('stop'),
    )
    .option('--dry-run', 'print the plan (stderr) and the exact register lines (stdout); write nothing')
    .option('--json', 'print the plan or the outcome of each record as JSON');
  addFlagOptions(command);
  addIgnoreFamilyOption(command);
  addEmulatorOptions(command);
  command
    .addHelpText(
      'after',
      `
The yes|no options also work as bare switches (--credential means --credential yes), as in
qemu-binfmt-conf.sh.

Examples:
  $ qus register --dry-run                       # this host's plan, no root needed
  $ sudo qus register                            # register that plan
  $ sudo qus register arm64 riscv64 --persistent yes
  $ sudo qus register --all --qemu-path /usr/local/bin --qemu-suffix ''
  $ sudo qus register aarch64 --replace --on-error rollback`,
    )
    .action(async (names: string[], options: RegisterOptions) => finish(await runRegister(context, names, options)));
}
