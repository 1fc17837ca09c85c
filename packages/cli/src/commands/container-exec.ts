import { resolve } from 'node:path';
import { type DirectoryLayout, runRootless, runShim, writeWrappers } from '@qus/container-exec';
import { resolveTarget } from '@qus/core';
import type { Command } from 'commander';
import { describeExecFailure } from '../container-exec-messages.js';
import type { CommandContext } from '../context.js';
import { EXIT_FAILURE } from '../errors.js';
import { addEmulatorOptions, type EmulatorOptionValues } from '../shared-options.js';

interface ExecOptions extends EmulatorOptionValues {
  readonly target?: string[];
  readonly sysroot?: string;
  readonly argv0?: string;
}

interface ShimOptions extends EmulatorOptionValues {
  readonly out: string;
  readonly target?: string[];
  readonly sysroot?: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').filter((name) => name !== '')];
}

/**
 * Build the emulator layout for container-exec, which accepts `<dir>/qemu-<cpu><suffix>` only.
 * NOTE: Debian's /usr/libexec/qemu-binfmt fallback of `register` is not used here.
 */
function layoutFrom(options: EmulatorOptionValues): DirectoryLayout {
  return {
    kind: 'directory',
    directory: options.qemuPath === undefined ? '/usr/bin' : resolve(options.qemuPath),
    suffix: options.qemuSuffix ?? '-static',
  };
}

/** Check target names first, so that a typo is a usage error with suggestions. */
function checkTargets(context: CommandContext, names: readonly string[] | undefined): number | null {
  for (const name of names ?? []) {
    const target = resolveTarget(name);
    if (target.isErr()) return context.fail(target.error);
  }
  return null;
}

function failWith(context: CommandContext, message: string): number {
  context.fail({ kind: 'backend', backend: 'container-exec', message });
  return EXIT_FAILURE;
}

async function runRun(context: CommandContext, command: readonly string[], options: ExecOptions): Promise<number> {
  const bad = checkTargets(context, options.target);
  if (bad !== null) return bad;
  if (command.length === 0)
    return context.fail({ kind: 'missing-argument', command: 'run', what: 'a command after --' });
  const outcome = await runRootless(command, {
    layout: layoutFrom(options),
    ...(options.target === undefined ? {} : { targets: options.target }),
    ...(options.sysroot === undefined ? {} : { sysroot: options.sysroot }),
    env: context.io.env,
    onNotice: (message) => context.warn(message),
  });
  if (outcome.isErr()) return failWith(context, describeExecFailure(outcome.error));
  return outcome.value.exitCode;
}

async function runExec(context: CommandContext, command: readonly string[], options: ExecOptions): Promise<number> {
  const bad = checkTargets(context, options.target);
  if (bad !== null) return bad;
  const [program, ...args] = command;
  if (program === undefined)
    return context.fail({ kind: 'missing-argument', command: 'exec', what: 'a program to run' });
  const outcome = await runShim(program, args, {
    layout: layoutFrom(options),
    ...(options.target === undefined ? {} : { targets: options.target }),
    ...(options.sysroot === undefined ? {} : { sysroot: options.sysroot }),
    ...(options.argv0 === undefined ? {} : { argv0: options.argv0 }),
    env: context.io.env,
  });
  if (outcome.isErr()) return failWith(context, describeExecFailure(outcome.error));
  return outcome.value.exitCode;
}

async function runShimCommand(
  context: CommandContext,
  files: readonly string[],
  options: ShimOptions,
): Promise<number> {
  const bad = checkTargets(context, options.target);
  if (bad !== null) return bad;
  if (files.length === 0) return context.fail({ kind: 'missing-argument', command: 'shim', what: 'one or more FILEs' });
  const written = await writeWrappers(files, {
    outDir: options.out,
    layout: layoutFrom(options),
    ...(options.target === undefined ? {} : { targets: options.target }),
    ...(options.sysroot === undefined ? {} : { sysroot: options.sysroot }),
    env: context.io.env,
  });
  if (written.isErr()) return failWith(context, describeExecFailure(written.error, 'wrap'));
  for (const wrapper of written.value) {
    context.info(`${wrapper.wrapper}: runs ${wrapper.program} (${wrapper.target ?? 'native'})`);
    context.data(wrapper.wrapper);
  }
  return 0;
}

function addCommonOptions(command: Command): Command {
  command
    .option(
      '--target <names>',
      'targets to match the program against, by any name (repeat or separate with commas)',
      collect,
    )
    .option('--sysroot <dir>', 'root filesystem of the guest for dynamically linked programs (QEMU -L)');
  return addEmulatorOptions(command);
}

/** Add `qus run`, `qus exec` and `qus shim`, the three ways to run foreign programs without the host's binfmt_misc. */
export function defineContainerExecCommands(
  program: Command,
  context: CommandContext,
  finish: (code: number) => void,
): void {
  const run = program
    .command('run')
    .description(
      "run a command with emulation for it and every program it starts, in a private user namespace (Linux 6.7+); no root, the host's binfmt_misc is untouched",
    )
    .argument('<command...>', 'the command and its arguments, after --')
    .passThroughOptions();
  addCommonOptions(run)
    .addHelpText(
      'after',
      `
The command's exit status passes through; a command killed by a signal gives 128 + the signal number.
Without a usable namespace the command runs through the exec shim, with a warning.

Examples:
  $ qus run -- ./rootfs-arm64/bin/busybox sh -c 'uname -m'
  $ qus run --target arm64 -- make CC=aarch64-linux-gnu-gcc check`,
    )
    .action(async (command: string[], options: ExecOptions) => finish(await runRun(context, command, options)));

  const exec = program
    .command('exec')
    .description('run one foreign program through its emulator directly, without binfmt_misc (the exec shim)')
    .argument('<command...>', 'the program and its arguments')
    .option('--argv0 <name>', "the program's argv[0] (QEMU -0), for multi-call binaries such as busybox")
    .passThroughOptions();
  addCommonOptions(exec)
    .addHelpText(
      'after',
      `
Examples:
  $ qus exec ./busybox-arm64 uname -m
  $ qus exec --argv0 sh ./busybox-arm64 -c 'echo hi'
  $ qus exec --sysroot /srv/rootfs-arm64 /srv/rootfs-arm64/usr/bin/ls /`,
    )
    .action(async (command: string[], options: ExecOptions) => finish(await runExec(context, command, options)));

  const shim = program
    .command('shim')
    .description('write a POSIX sh wrapper per foreign program, which later runs it with one exec of its emulator')
    .argument('[files...]', 'programs to wrap; the wrapper gets the program file name')
    .requiredOption('--out <dir>', 'folder to write the wrappers to');
  addCommonOptions(shim)
    .addHelpText(
      'after',
      `
The wrapper paths are printed on stdout, one per line.

Examples:
  $ qus shim --out ./bin ./rootfs-arm64/bin/busybox
  $ ./bin/busybox uname -m`,
    )
    .action(async (files: string[], options: ShimOptions) => finish(await runShimCommand(context, files, options)));
}
