import { createDebianBackend, createSystemdBackend, type FileBackend } from '@qus/binfmt-d';
import { type Command, Option } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { describeFileFailure } from '../binfmt-d-messages.js';
import type { CommandContext } from '../context.js';
import { describeHost, describeSkipped } from '../describe-plan.js';
import { EXIT_FAILURE } from '../errors.js';
import { describeHostCpuEmitted } from '../messages.js';
import { findPlanningHost } from '../planning-host.js';
import { buildRegisterPlan } from '../register-plan.js';
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

interface EmitOptions extends FlagOptionValues, EmulatorOptionValues {
  readonly format: 'systemd' | 'debian';
  readonly dir?: string;
  readonly all?: boolean;
  readonly hostMachine?: string;
  readonly ignoreFamily?: 'yes' | 'no';
  readonly force?: boolean;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

function openBackend(options: EmitOptions): FileBackend {
  const common = { force: options.force === true, prune: options.prune === true };
  if (options.format === 'debian') {
    return createDebianBackend({ ...common, ...(options.dir === undefined ? {} : { importDirectory: options.dir }) });
  }
  return createSystemdBackend({ ...common, ...(options.dir === undefined ? {} : { directory: options.dir }) });
}

/** Unified diff from the file on disk to the content --force would write. */
function conflictDiff(conflict: {
  readonly path: string;
  readonly existing: string;
  readonly expected: string;
}): string {
  return createTwoFilesPatch(conflict.path, conflict.path, conflict.existing, conflict.expected);
}

async function runEmit(context: CommandContext, names: readonly string[], options: EmitOptions): Promise<number> {
  const planning = await findPlanningHost(options.hostMachine, context.io.env);
  if (planning.isErr()) return context.fail(planning.error);
  const { host, source } = planning.value;
  const resolvedQemuPath = describeResolvedQemuPath(options);
  if (resolvedQemuPath !== null) context.info(resolvedQemuPath);
  const plan = await buildRegisterPlan({
    names,
    all: options.all === true,
    ...optionalIgnoreFamily(options.ignoreFamily),
    hostCpuNamed: 'allow',
    flags: flagsFrom(options),
    emulator: emulatorOptionsFrom(options),
    host,
  });
  if (plan.isErr()) return context.fail(plan.error);
  if (plan.value.hostCpuTarget !== null) {
    context.warn(describeHostCpuEmitted(plan.value.hostCpuTarget.name, host.machine));
  }
  if (!plan.value.named) {
    context.info(source === 'probed' ? describeHost(host) : `host: ${host.machine} (from ${source}), not probed`);
    if (plan.value.skipped.length > 0) context.info(`left out: ${describeSkipped(plan.value.skipped)}`);
  }
  const missing = plan.value.planned.filter((entry) => !entry.emulator.exists).map((entry) => entry.emulator.path);
  if (missing.length > 0) {
    // i386 and i486 share qemu-i386, so each path is listed once however many files name it.
    const paths = [...new Set(missing)];
    context.warn(
      `${missing.length} file(s) name an emulator that is not installed here (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}); install it before the files are applied at boot`,
    );
  }

  const backend = openBackend(options);
  const report = await backend.apply(
    plan.value.planned.map((entry) => entry.record),
    { dryRun: options.dryRun === true, replace: options.force === true },
  );
  if (report.isErr())
    return context.fail({ kind: 'backend', backend: backend.name, message: describeFileFailure(report.error) });

  const dryRun = report.value.dryRun;
  const failed = report.value.outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [outcome] : []));
  // A dry run shows a file with other content as the diff that --force would write, and exits 0
  // like "qus register --dry-run" does for a plan that would fail: nothing was attempted.
  const conflicts = dryRun
    ? failed.flatMap((outcome) => (outcome.error.kind === 'file-conflict' ? [outcome.error] : []))
    : [];
  const failures = failed.filter((outcome) => !(dryRun && outcome.error.kind === 'file-conflict'));
  if (options.json === true) {
    context.data(
      JSON.stringify(
        {
          directory: backend.directory,
          dryRun: report.value.dryRun,
          changes: report.value.changes.map((change) => ({
            path: change.path,
            name: change.name,
            action: change.action,
          })),
          failed: failures.map((outcome) => ({ name: outcome.name, error: describeFileFailure(outcome.error) })),
          conflicts: conflicts.map((conflict) => ({
            path: conflict.path,
            name: conflict.name,
            diff: conflictDiff(conflict),
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const change of report.value.changes) {
      context.info(`${change.path}: ${options.dryRun === true ? `would ${change.action}` : change.action}`);
      if (options.dryRun === true && change.diff !== '') context.data(change.diff.trimEnd());
    }
    for (const conflict of conflicts) {
      context.info(
        `${conflict.path}: ${context.err.yellow('would fail')} without --force: the file exists with other content; the diff shows what --force would write`,
      );
      context.data(conflictDiff(conflict).trimEnd());
    }
  }
  for (const outcome of failures) {
    context.info(`${outcome.name}: ${context.err.red('failed')}: ${describeFileFailure(outcome.error)}`);
  }
  for (const failure of report.value.pruneFailures) {
    context.info(`${failure.path}: ${context.err.red('prune failed')}: ${describeFileFailure(failure.error)}`);
  }
  return failures.length > 0 || report.value.pruneFailures.length > 0 ? EXIT_FAILURE : 0;
}

/** Add `qus emit`. */
export function defineEmitCommand(program: Command, context: CommandContext, finish: (code: number) => void): void {
  const command = program
    .command('emit')
    .description('write persistent registrations: systemd binfmt.d files or Debian binfmts import files')
    .argument('[targets...]', 'targets by any accepted name; without them, the ones this host needs')
    .addOption(
      new Option(
        '--format <format>',
        'file format: systemd (one qemu-<cpu>.conf each) or debian (update-binfmts import files)',
      )
        .choices(['systemd', 'debian'])
        .default('systemd'),
    )
    .option('--dir <dir>', 'folder to write to (default: /etc/binfmt.d for systemd, /usr/share/binfmts for debian)')
    .option('--all', "every target except the host's own CPU and what it runs natively")
    .option(
      '--host-machine <name>',
      'plan the files for a machine of this CPU ("uname -m" there) instead of this one; also read from HOST_ARCH',
    )
    .option('--force', 'overwrite files with other content, and prune files this tool did not write')
    .option('--prune', 'delete files this tool wrote earlier that are no longer planned')
    .option(
      '--dry-run',
      'print the diff of every file instead of writing, also of files that only --force would replace (exit 0)',
    )
    .option('--json', 'print the changes as JSON');
  addFlagOptions(command);
  addIgnoreFamilyOption(command);
  addEmulatorOptions(command);
  command
    .addHelpText(
      'after',
      `
Files are written atomically with mode 0644; identical files are left untouched.
A named target that is the host's own CPU is written with a warning, since the files may
be meant for another machine. Another machine (--host-machine, HOST_ARCH) is not probed:
QEMU's family rule decides what it runs natively, and no kernel feature is checked.

Examples:
  $ qus emit --format systemd --dir ./binfmt.d           # no root needed
  $ sudo qus emit arm64 riscv64                          # /etc/binfmt.d, applied by systemd-binfmt at boot
  $ sudo qus emit --format debian --all && sudo update-binfmts --import
  $ qus emit --host-machine aarch64 --dir ./rootfs-arm64/etc/binfmt.d   # for an arm64 machine`,
    )
    .action(async (names: string[], options: EmitOptions) => finish(await runEmit(context, names, options)));
}
