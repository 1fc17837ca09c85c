import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { machine, release } from 'node:os';
import type { Readable } from 'node:stream';
import {
  formatRegisterString,
  kernelFeatures,
  parseKernelVersion,
  planHostTargets,
  register,
  type TargetName,
} from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { ContainerExecError } from './errors.js';
import { DEFAULT_DIRECTORY_LAYOUT, type DirectoryLayout, targetRecords } from './internal/host.js';
import {
  errorCode,
  forwardSignals,
  outcomeOf,
  type RunOutcome,
  type StdioSetting,
  stdioFds,
} from './internal/run-child.js';
import { selectEmulator } from './internal/select-emulator.js';
import { describeContainerExecError } from './messages.js';
import { runShim } from './shim.js';

/** Options of {@link runRootless}. */
export interface RootlessOptions {
  /**
   * Folder and name pattern of the emulators.
   * @default { kind: 'directory', directory: '/usr/bin', suffix: '-static' }
   */
  readonly layout?: DirectoryLayout;
  /**
   * Targets to register besides the one the command's own ELF header needs. Without
   * it, every installed emulator the host needs (QEMU's family rule) is registered too,
   * so that programs the command starts run whatever their CPU.
   */
  readonly targets?: readonly string[];
  /**
   * Flags of the entries. `F` makes the kernel open each emulator once, at registration.
   * `P` keeps argv[0] when a guest program starts another one, because busybox runs its
   * applets by executing itself under the applet's name. It needs QEMU 6.0 or later. The
   * kernel side (Linux 5.12) is always there when namespaces are.
   * @default 'PF'
   */
  readonly flags?: string;
  /** Guest root filesystem for dynamically linked programs, given to QEMU as `QEMU_LD_PREFIX`. */
  readonly sysroot?: string;
  /**
   * Run the command through {@link runShim} when no private binfmt_misc instance can be
   * made (Linux before 6.7, user namespaces disabled, `unshare` missing). Without it that
   * case is an error.
   * @default true
   */
  readonly fallback?: boolean;
  /**
   * Receives the sentence explaining a fallback.
   * @default writes the sentence and a newline to standard error
   */
  readonly onNotice?: (message: string) => void;
  /**
   * Kernel release to decide support from, as `uname -r` prints it.
   * @default os.release()
   */
  readonly kernelRelease?: string;
  /**
   * The util-linux `unshare` program.
   * @default 'unshare'
   */
  readonly unshare?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default 'inherit' */
  readonly stdio?: StdioSetting;
}

/** How a rootless run ended, and how it ran. */
export interface RootlessOutcome extends RunOutcome {
  /** `namespace` with a private binfmt_misc instance, or `shim` after a fallback. */
  readonly mode: 'namespace' | 'shim';
  /** Entry names registered in the private instance; empty after a fallback. */
  readonly registered: readonly string[];
}

/** Mount point of the private instance, inside the new mount namespace only. */
const BINFMT_DIRECTORY = '/proc/sys/fs/binfmt_misc';

/**
 * Runs inside the new namespaces. Positional parameters: the number of register strings,
 * the strings, then the command. fd 3 reports progress to the parent, and fd 4 is the
 * caller's standard error. Until the command starts, fd 2 goes to the parent, so the
 * errors of `mount` or `printf` are reported as data. `printf` writes each string with
 * one `write()`, as binfmt_misc requires.
 */
const SETUP_SCRIPT = `
mount -t binfmt_misc binfmt_misc ${BINFMT_DIRECTORY} || { echo mount-failed >&3; exit 125; }
count=$1
shift
index=0
while [ "$index" -lt "$count" ]; do
  printf '%s' "$1" > ${BINFMT_DIRECTORY}/register || { echo "register-failed $index" >&3; exit 125; }
  shift
  index=$((index + 1))
done
echo ready >&3
exec "$@" 3>&- 2>&4 4>&-
`;

type SetupResult =
  | { readonly kind: 'ran'; readonly outcome: RunOutcome }
  | { readonly kind: 'unavailable'; readonly error: ContainerExecError }
  | { readonly kind: 'failed'; readonly error: ContainerExecError };

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Return the path of a program that is no ELF file, as its header error names it. */
function notElfPath(error: ContainerExecError): string | null {
  return error.kind === 'invalid-program' && error.error.kind === 'not-elf' ? error.error.path : null;
}

/** Choose the targets to register: the command's own plus the named ones, or else every installed emulator the host needs. */
async function chooseTargets(
  command: readonly string[],
  options: RootlessOptions,
  layout: DirectoryLayout,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Result<TargetName[], ContainerExecError>> {
  const names: TargetName[] = [];
  const selection = await selectEmulator(command[0] as string, {
    layout,
    sysroot: options.sysroot,
    env: options.sysroot === undefined ? env : { ...env, QEMU_LD_PREFIX: options.sysroot },
  });
  if (selection.isOk()) {
    if (selection.value.kind === 'emulated') names.push(selection.value.target.name);
  } else if (!(selection.error.kind === 'invalid-program' && selection.error.error.kind === 'not-elf')) {
    // A script is fine: the kernel runs it through its #! line, and the targets come from options.
    return err(selection.error);
  }
  // Checked here, because a failed exec inside the namespace is reported only by the setup
  // shell, in its own words and under its own name.
  const path = selection.isOk() ? selection.value.path : notElfPath(selection.error);
  if (path !== null && !(await isExecutable(path))) {
    return err({ kind: 'not-executable', path, elf: selection.isOk() });
  }

  const named = targetRecords(options.targets ?? [], layout);
  if (named.isErr()) return err(named.error);
  for (const { target } of named.value) if (!names.includes(target.name)) names.push(target.name);
  if (options.targets !== undefined) return ok(names);

  // Without named targets, every installed emulator the host needs is registered besides
  // the command's own, because a foreign command may start programs of other CPUs.
  const plan = planHostTargets({ machine: machine() });
  const needed = plan.isOk() ? new Set(plan.value.targets.map((target) => target.name)) : undefined;
  const all = targetRecords(undefined, layout);
  if (all.isErr()) return err(all.error);
  for (const { target, record } of all.value) {
    if (names.includes(target.name) || (needed !== undefined && !needed.has(target.name))) continue;
    if (await isExecutable(record.interpreter)) names.push(target.name);
  }
  return ok(names);
}

function runInNamespace(
  lines: readonly string[],
  names: readonly string[],
  command: readonly string[],
  options: RootlessOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SetupResult> {
  const unshare = options.unshare ?? 'unshare';
  const [stdin, stdout, stderr] = stdioFds(options.stdio);
  return new Promise((resolvePromise) => {
    const child = spawn(
      unshare,
      [
        '--user',
        '--map-root-user',
        '--mount',
        '--propagation',
        'private',
        '--',
        '/bin/sh',
        '-c',
        SETUP_SCRIPT,
        'qus-rootless',
        String(lines.length),
        ...lines,
        ...command,
      ],
      { env: env as NodeJS.ProcessEnv, stdio: [stdin, stdout, 'pipe', 'pipe', stderr], shell: false },
    );
    const stopForwarding = forwardSignals(child);
    let setupErrors = '';
    let status = '';
    (child.stdio[2] as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      setupErrors += chunk;
    });
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      status += chunk;
    });
    child.once('error', (error) => {
      stopForwarding();
      const code = errorCode(error);
      const reason = code === 'ENOENT' ? 'unshare-missing' : 'unshare-failed';
      resolvePromise({
        kind: 'unavailable',
        error: { kind: 'namespaces-unavailable', reason, detail: `${unshare}: ${code}` },
      });
    });
    child.once('close', (code, signal) => {
      stopForwarding();
      const detail = setupErrors.trim();
      const report = status.trim();
      if (report === 'ready') {
        resolvePromise({ kind: 'ran', outcome: outcomeOf(code, signal) });
      } else if (report === 'mount-failed') {
        resolvePromise({
          kind: 'unavailable',
          error: { kind: 'binfmt-mount-failed', directory: BINFMT_DIRECTORY, detail },
        });
      } else if (report.startsWith('register-failed ')) {
        const name = names[Number(report.slice('register-failed '.length))] ?? 'unknown';
        resolvePromise({ kind: 'failed', error: { kind: 'register-failed', name, detail } });
      } else {
        resolvePromise({
          kind: 'unavailable',
          error: { kind: 'namespaces-unavailable', reason: 'unshare-failed', detail },
        });
      }
    });
  });
}

async function fallBack(
  error: ContainerExecError,
  command: readonly string[],
  options: RootlessOptions,
  layout: DirectoryLayout,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Result<RootlessOutcome, ContainerExecError>> {
  if (options.fallback === false) return err(error);
  const notice = options.onNotice ?? ((message: string) => process.stderr.write(`${message}\n`));
  notice(
    `${describeContainerExecError(error)}; running ${JSON.stringify(command[0])} through the exec shim instead, so programs it starts are not emulated`,
  );
  const outcome = await runShim(command[0] as string, command.slice(1), {
    layout,
    ...(options.sysroot === undefined ? {} : { sysroot: options.sysroot }),
    env,
    ...(options.stdio === undefined ? {} : { stdio: options.stdio }),
  });
  if (outcome.isErr()) return err(outcome.error);
  return ok({ ...outcome.value, mode: 'shim', registered: [] });
}

/**
 * Run a command with emulation for it and every program it starts, without root and
 * without changing the host: in a new user and mount namespace with its own binfmt_misc
 * instance (Linux 6.7 and later), where the needed emulators are registered with `F`.
 * The namespace and its entries end with the command. Standard streams, the exit
 * status and signals pass through; nothing is interpreted by a shell.
 *
 * The command runs as root of the new user namespace, which is the caller's own user
 * outside it. Inside, only the registered entries exist: the host's own entries are not
 * visible, because an instance shadows those of its ancestors.
 *
 * @param command - the program (a path, or a name looked up in `PATH`) and its arguments
 * @returns how the command ended and how it ran, or why it could not start
 * @example
 * const outcome = await runRootless(['./busybox-arm64', 'sh', '-c', 'uname -m'], {});
 * // prints "aarch64"; Ok({ exitCode: 0, signal: null, mode: 'namespace', registered: ['qemu-aarch64', 'qemu-arm', …] })
 */
export async function runRootless(
  command: readonly string[],
  options: RootlessOptions = {},
): Promise<Result<RootlessOutcome, ContainerExecError>> {
  if (command.length === 0) return err({ kind: 'empty-command' });
  const layout = options.layout ?? DEFAULT_DIRECTORY_LAYOUT;
  const baseEnv = options.env ?? process.env;
  const env = options.sysroot === undefined ? baseEnv : { ...baseEnv, QEMU_LD_PREFIX: options.sysroot };

  const targets = await chooseTargets(command, options, layout, env);
  if (targets.isErr()) return err(targets.error);
  const records = register(targets.value, { layout, flags: options.flags ?? 'PF' });
  if (records.isErr()) {
    return err(
      records.error.kind === 'unknown-target'
        ? { kind: 'unknown-target', error: records.error }
        : { kind: 'invalid-record', error: records.error },
    );
  }
  const lines: string[] = [];
  for (const record of records.value) {
    const line = formatRegisterString(record);
    if (line.isErr()) return err({ kind: 'invalid-record', error: line.error });
    lines.push(line.value);
  }
  const names = records.value.map((record) => record.name);

  const kernelRelease = options.kernelRelease ?? release();
  const version = parseKernelVersion(kernelRelease);
  if (version.isErr() || !kernelFeatures(version.value).namespacedInstances) {
    const error: ContainerExecError = { kind: 'namespaces-unavailable', reason: 'old-kernel', detail: kernelRelease };
    return fallBack(error, command, options, layout, baseEnv);
  }

  const result = await runInNamespace(lines, names, command, options, env);
  if (result.kind === 'ran') return ok({ ...result.outcome, mode: 'namespace', registered: names });
  if (result.kind === 'failed') return err(result.error);
  return fallBack(result.error, command, options, layout, baseEnv);
}
