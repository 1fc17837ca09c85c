import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { collectChild } from './child.js';
import { fixturesDir, fixturesPresent } from './fixtures.js';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the binfmt_misc instance is mounted inside the namespace. */
export type MountPoint = 'proc' | 'temp';

export interface NamespaceOptions {
  /**
   * `proc` mounts the private instance over /proc/sys/fs/binfmt_misc (what systemd-binfmt
   * and update-binfmts write to); `temp` mounts it on a fresh folder.
   * @default 'temp'
   */
  readonly mount?: MountPoint;
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
  /** @default 60000 */
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

export interface NamespaceResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Shell run before each script: mount a fresh binfmt_misc instance over
 * /proc/sys/fs/binfmt_misc (and, for `temp`, on a new folder too, which shows the same
 * instance), export its path as BINFMT_DIR, and stop unless the instance is empty.
 *
 * The mount over /proc is not optional. Tests run as real root, and inside the user
 * namespace root is still uid 0, which may write to the machine's own instance through
 * an unshadowed /proc/sys/fs/binfmt_misc. Shadowing it keeps code that falls back to the
 * default path inside the namespace's instance.
 */
function prelude(mount: MountPoint): string {
  const target = mount === 'proc' ? '/proc/sys/fs/binfmt_misc' : '"$(mktemp -d)"';
  return [
    'set -e',
    'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc',
    `BINFMT_DIR=${target}`,
    'export BINFMT_DIR',
    'if [ "$BINFMT_DIR" != /proc/sys/fs/binfmt_misc ]; then mount -t binfmt_misc binfmt_misc "$BINFMT_DIR"; fi',
    'for dir in /proc/sys/fs/binfmt_misc "$BINFMT_DIR"; do',
    '  entries=$(ls -A "$dir" | grep -v -x -e register -e status || true)',
    '  if [ -n "$entries" ]; then echo "namespace: the binfmt_misc instance at $dir is not fresh: $entries" >&2; exit 97; fi',
    'done',
    'set +e',
  ].join('\n');
}

/**
 * Run a shell script inside `unshare --user --map-root-user --mount` with a fresh
 * binfmt_misc instance (Linux 6.7+ keys instances by user namespace). The machine's own
 * instance is never visible to the script.
 */
export function runInNamespace(script: string, options: NamespaceOptions = {}): Promise<NamespaceResult> {
  const full = `${prelude(options.mount ?? 'temp')}\n${script}`;
  const child = spawn(
    'unshare',
    ['--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c', full],
    {
      cwd: options.cwd ?? repositoryRoot,
      env: { ...process.env, QUS_FIXTURES: fixturesDir(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    },
  );
  return collectChild(child, options.input);
}

/**
 * Run an ES module inside a fresh namespace with `node`. The module is written under
 * `test/.tmp/` so that `@qus/*` imports resolve to the built workspace packages.
 * BINFMT_DIR contains the instance's mount point.
 */
export async function runNodeInNamespace(source: string, options: NamespaceOptions = {}): Promise<NamespaceResult> {
  const folder = join(repositoryRoot, 'test', '.tmp');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `script-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  try {
    return await runInNamespace(`exec node ${JSON.stringify(file)}`, options);
  } finally {
    rmSync(file, { force: true });
  }
}

/** What a kernel test needs that this machine lacks; empty when everything is there. */
export function missingKernelPrerequisites(options: { fixtures?: boolean } = {}): string[] {
  const missing: string[] = [];
  const [major = 0, minor = 0] = release().split('.').map(Number);
  if (major < 6 || (major === 6 && minor < 7)) {
    missing.push(`Linux 6.7 or later for per-namespace binfmt_misc (this is ${release()})`);
  }
  let filesystems = '';
  try {
    filesystems = readFileSync('/proc/filesystems', 'utf8');
  } catch {
    // Reported below as a missing filesystem.
  }
  if (!/\bbinfmt_misc\b/.test(filesystems)) missing.push('binfmt_misc in /proc/filesystems');
  const probe = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true'], { timeout: 10_000 });
  if (probe.error !== undefined || probe.status !== 0) {
    missing.push('unprivileged user namespaces (unshare --user --map-root-user --mount true failed)');
  }
  if (options.fixtures !== false && !fixturesPresent()) {
    missing.push(`the fixtures in ${fixturesDir()} (run: pnpm fixtures)`);
  }
  return missing;
}

/**
 * `describe` for tests that need the real kernel (and, unless `fixtures: false`, the
 * fetched fixtures). Outside CI they are skipped with the missing prerequisites in the
 * name; in CI (CI=true) a missing prerequisite is a failing test.
 */
export function describeKernel(name: string, body: () => void, options: { fixtures?: boolean } = {}): void {
  const missing = missingKernelPrerequisites(options);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
    describe(name, () => {
      it('has its prerequisites', () => {
        throw new Error(`missing: ${missing.join('; ')}`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped, missing: ${missing.join('; ')})`, body);
}
