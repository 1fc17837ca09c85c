import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { qemuStaticDir } from '../../../test/support/fixtures.js';
import { describeKernel, runInNamespace } from '../../../test/support/namespace.js';

const example = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(example, 'node_modules', 'vitest', 'vitest.mjs');
const config = join(example, 'vitest.config.mjs');

/** This process's environment without the variables vitest sets for its own workers, so the inner run starts clean. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('VITEST') && name !== 'NODE_OPTIONS' && name !== 'FORCE_COLOR') {
      env[name] = value;
    }
  }
  return env;
}

describeKernel('rootless-tests example', () => {
  it('passes the foreign suite under runRootless', () => {
    const result = spawnSync('node', [join(example, 'run-suite.mjs'), '--qemu-path', qemuStaticDir()], {
      encoding: 'utf8',
      env: cleanEnv(),
    });

    expect(result.stderr).toBe('run-suite: qemu-aarch64, qemu-s390x registered for the suite\n');
    expect(result.stdout).toMatch(/Tests {2}5 passed \(5\)/);
    expect(result.status).toBe(0);
  });

  it('passes the foreign suite under qus run', () => {
    const qus = join(example, '..', '..', 'packages', 'cli', 'dist', 'bin.js');

    const result = spawnSync(
      'node',
      [qus, 'run', '--target', 'arm64,s390x', '--qemu-path', qemuStaticDir(), '--', 'node', vitest, 'run'],
      { cwd: example, encoding: 'utf8', env: cleanEnv() },
    );

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Tests {2}5 passed \(5\)/);
    expect(result.status).toBe(0);
  });

  it('fails the foreign suite without emulation', async () => {
    const env = cleanEnv();

    // A fresh binfmt_misc instance with no entries, whatever the host has registered.
    const result = await runInNamespace(`node ${vitest} run --root ${example} --config ${config}`, {
      mount: 'proc',
      env,
    });

    expect(result.stdout).toMatch(/Tests {2}5 failed \(5\)/);
    // Without an entry execve fails with ENOEXEC, and Node.js then runs the file with /bin/sh, as execvp does.
    expect(`${result.stdout}${result.stderr}`).toMatch(/busybox: 1: Syntax error: word unexpected/);
    expect(result.code).toBe(1);
  });
});
