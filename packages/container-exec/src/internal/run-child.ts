import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { err, ok, type Result } from 'neverthrow';
import type { ContainerExecError } from '../errors.js';

/** Where a program's standard streams go: the caller's own, or three open file descriptors. */
export type StdioSetting = 'inherit' | readonly [stdin: number, stdout: number, stderr: number];

/** How a program ended, as a shell reports it. */
export interface RunOutcome {
  /** The exit status, or 128 plus the signal number when a signal killed the program (SIGTERM gives 143). */
  readonly exitCode: number;
  /** The signal that killed the program, if one did. */
  readonly signal: NodeJS.Signals | null;
}

/**
 * Signals passed on to the child while it runs. SIGUSR1 is left out because Node.js
 * reserves it for its inspector; SIGKILL and SIGSTOP cannot be caught.
 */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGWINCH'];

/** @internal */
export function stdioFds(stdio: StdioSetting | undefined): [number, number, number] {
  return stdio === undefined || stdio === 'inherit' ? [0, 1, 2] : [stdio[0], stdio[1], stdio[2]];
}

/** @internal */
export function outcomeOf(code: number | null, signal: NodeJS.Signals | null): RunOutcome {
  if (signal !== null) return { exitCode: 128 + (constants.signals[signal] ?? 0), signal };
  return { exitCode: code ?? 1, signal: null };
}

/**
 * Pass the signals this process receives on to a child until it exits, so that a
 * TERM sent to the caller reaches the program as it would through `exec`.
 * @internal
 */
export function forwardSignals(child: ChildProcess): () => void {
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = (): void => {
      child.kill(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/** @internal */
export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'EIO';
}

/**
 * Start a program without a shell, forward signals to it, and wait for it to end.
 * @internal
 */
export function runChild(
  file: string,
  args: readonly string[],
  options: {
    readonly argv0?: string;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly stdio?: StdioSetting | undefined;
  },
): Promise<Result<RunOutcome, ContainerExecError>> {
  return new Promise((resolvePromise) => {
    const child = spawn(file, args, {
      ...(options.argv0 === undefined ? {} : { argv0: options.argv0 }),
      env: options.env as NodeJS.ProcessEnv,
      stdio: stdioFds(options.stdio),
      shell: false,
    });
    const stopForwarding = forwardSignals(child);
    child.once('error', (error) => {
      stopForwarding();
      resolvePromise(err({ kind: 'spawn-failed', file, code: errorCode(error) }));
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      resolvePromise(ok(outcomeOf(code, signal)));
    });
  });
}
