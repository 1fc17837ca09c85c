import type { TargetName } from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { ContainerExecError } from './errors.js';
import { DEFAULT_DIRECTORY_LAYOUT, type DirectoryLayout } from './internal/host.js';
import { type RunOutcome, runChild, type StdioSetting } from './internal/run-child.js';
import { emulatorArguments, selectEmulator } from './internal/select-emulator.js';

/** Options of {@link runShim} and {@link resolveShimCommand}. */
export interface ShimOptions {
  /**
   * Folder and name pattern of the emulators: `<directory>/qemu-<cpu><suffix>`, as
   * `qemu-binfmt-conf.sh --qemu-path DIR --qemu-suffix SUFFIX` names them.
   * @default { kind: 'directory', directory: '/usr/bin', suffix: '-static' }
   */
  readonly layout?: DirectoryLayout;
  /**
   * Targets to match the program against, by any name `resolveTarget` accepts.
   * @default every catalogue target except the host's own CPU
   */
  readonly targets?: readonly string[];
  /**
   * Folder holding the guest's root filesystem for dynamically linked programs, passed
   * to QEMU as `-L`. Without it the loader must be under `QEMU_LD_PREFIX` or on the host.
   */
  readonly sysroot?: string;
  /**
   * The program's argv[0], passed to QEMU as `-0`.
   * @default program, as given
   */
  readonly argv0?: string;
  /**
   * Environment of the program, also used to search `PATH`.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default 'inherit' */
  readonly stdio?: StdioSetting;
}

/** The command the shim runs for a program, found without running it. */
export interface ShimCommand {
  /** The emulator, or the program itself when the host runs it. */
  readonly file: string;
  /** Arguments after argv[0]. */
  readonly args: readonly string[];
  /** argv[0] of `file`. */
  readonly argv0: string;
  /** The target the program is emulated as, or `null` when it runs directly. */
  readonly target: TargetName | null;
}

/**
 * Find the command that runs a program: its emulator with QEMU's arguments, or the
 * program itself when the host runs it natively.
 *
 * @param program - a path, or a name looked up in `PATH`
 * @param args - arguments after argv[0]
 * @returns the command, or why the program cannot run
 * @example
 * const command = await resolveShimCommand('./busybox', ['uname', '-m'], {});
 * // Ok({ file: '/usr/bin/qemu-aarch64-static', args: ['-0', './busybox', '/abs/busybox', 'uname', '-m'], … })
 */
export async function resolveShimCommand(
  program: string,
  args: readonly string[],
  options: ShimOptions = {},
): Promise<Result<ShimCommand, ContainerExecError>> {
  const selection = await selectEmulator(program, {
    layout: options.layout ?? DEFAULT_DIRECTORY_LAYOUT,
    targets: options.targets,
    sysroot: options.sysroot,
    env: options.env ?? process.env,
  });
  if (selection.isErr()) return err(selection.error);

  const argv0 = options.argv0 ?? program;
  if (selection.value.kind === 'native') {
    return ok({ file: selection.value.path, args: [...args], argv0, target: null });
  }
  return ok({
    file: selection.value.emulator,
    args: emulatorArguments(selection.value, argv0, args),
    argv0: selection.value.emulator,
    target: selection.value.target.name,
  });
}

/**
 * Run a foreign program without binfmt_misc: read its ELF header, pick the emulator the
 * kernel would pick, and start it with QEMU's arguments. A program the host runs
 * natively starts directly. No shell is involved; standard streams, the exit status and
 * signals pass through.
 *
 * @param program - a path, or a name looked up in `PATH`
 * @param args - arguments after argv[0], passed unchanged
 * @returns how the program ended (SIGTERM gives exit code 143), or why it could not start
 * @example
 * const outcome = await runShim('./busybox-arm64', ['uname', '-m'], {
 *   layout: { kind: 'directory', directory: '/usr/bin', suffix: '-static' },
 * });
 * // prints "aarch64"; Ok({ exitCode: 0, signal: null })
 */
export async function runShim(
  program: string,
  args: readonly string[],
  options: ShimOptions = {},
): Promise<Result<RunOutcome, ContainerExecError>> {
  const command = await resolveShimCommand(program, args, options);
  if (command.isErr()) return err(command.error);
  return runChild(command.value.file, command.value.args, {
    argv0: command.value.argv0,
    env: options.env ?? process.env,
    stdio: options.stdio,
  });
}
