import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectChild } from '../support/child.js';

/** The repository root. */
export const repositoryRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built CLI entry, as the `qus` bin shim runs it. */
export const binPath: string = join(repositoryRoot, 'packages', 'cli', 'dist', 'bin.js');

/** `node <bin.js>` quoted for a shell script run by `runInNamespace`. */
export const qusCommand = `node ${JSON.stringify(binPath)}`;

let built = false;

/**
 * Build the CLI and the packages it references (incremental `tsc -b`) once per test file,
 * so that dist/ is current. A failing build fails the tests only when there is no
 * dist/bin.js to run; `pnpm test` type-checks the whole workspace before the tests anyway.
 */
export function ensureBuilt(): void {
  if (built) return;
  const result = spawnSync('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status !== 0 && !existsSync(binPath)) {
    throw new Error(`tsc -b packages/cli failed:\n${result.stdout}${result.stderr}`);
  }
  built = true;
}

/** What one `qus` run printed and its exit code. */
export interface QusResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `node packages/cli/dist/bin.js ARGS` as a user would, with the environment of the test process plus `env`. */
export function runQus(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<QusResult> {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return collectChild(child, options.input);
}

/** Quote a value for a POSIX shell script. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
