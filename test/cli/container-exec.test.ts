import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxPath, fixturesPresent, qemuStaticDir } from '../support/fixtures.js';
import { describeKernel } from '../support/namespace.js';
import { ensureBuilt, repositoryRoot, runQus } from './support.js';

const fixtures = fixturesPresent();
const emulators = ['--qemu-path', qemuStaticDir()];

beforeAll(() => {
  ensureBuilt();
});

describe.skipIf(!fixtures)('qus exec', () => {
  it('runs a foreign busybox through its emulator', async () => {
    const result = await runQus(['exec', ...emulators, busyboxPath('arm64'), 'uname', '-m']);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('aarch64\n');
  });

  it('passes arguments and the exit status through', async () => {
    const result = await runQus([
      'exec',
      ...emulators,
      busyboxPath('s390x'),
      'sh',
      '-c',
      'printf "%s|" "$@"; exit 7',
      'sh',
      '-n',
      'a b',
      '$(touch x)',
    ]);

    expect(result.code).toBe(7);
    expect(result.stdout).toBe('-n|a b|$(touch x)|');
  });

  it('passes stdin through', async () => {
    const result = await runQus(['exec', ...emulators, busyboxPath('mipsel'), 'cat'], { input: 'piped\n' });

    expect(result.stdout).toBe('piped\n');
  });

  it('rejects a file that is not ELF with exit 1', async () => {
    const result = await runQus(['exec', ...emulators, '/etc/passwd']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: cannot run /etc/passwd: not an ELF file (it starts with 726f6f74); name a compiled program, not a script or archive
      "
    `);
  });

  it('names --qemu-path when the emulator is missing', async () => {
    const result = await runQus(['exec', '--qemu-path', '/nonexistent', busyboxPath('arm64'), 'true']);

    expect(result.code).toBe(1);
    expect(result.stderr.replaceAll(busyboxPath('arm64'), '<busybox>')).toMatchInlineSnapshot(`
      "qus: error: cannot run <busybox>: it is an aarch64 program and its emulator /nonexistent/qemu-aarch64-static is not installed; install it (Debian and Ubuntu: apt-get install qemu-user-static) or pass --qemu-path DIR with the folder that contains it
      "
    `);
  });

  it('suggests a target name', async () => {
    const result = await runQus(['exec', '--target', 'arm46', busyboxPath('arm64'), 'true']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: unknown target "arm46": did you mean "arm", "arm/v6", "arm64"?
      "
    `);
  });
});

describe.skipIf(!fixtures)('qus shim', () => {
  const out = mkdtempSync(join(tmpdir(), 'qus-cli-shim-'));

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('writes a wrapper that runs the program', async () => {
    const written = await runQus(['shim', '--out', out, ...emulators, busyboxPath('ppc64el')]);
    const { spawnSync } = await import('node:child_process');

    const run = spawnSync(join(out, 'busybox'), ['uname', '-m'], { encoding: 'utf8' });

    expect(written.code).toBe(0);
    expect(written.stdout).toBe(`${join(out, 'busybox')}\n`);
    expect(readFileSync(join(out, 'busybox'), 'utf8').split('\n')[1]).toBe(
      '# Written by @qus/container-exec: runs a ppc64le program under QEMU.',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('ppc64le\n');
  });

  it('says which wrapper it cannot write', async () => {
    const text = join(out, 'notes.txt');
    writeFileSync(text, 'hello\n');

    const result = await runQus(['shim', '--out', out, ...emulators, text]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `qus: error: cannot write a wrapper for ${text}: not an ELF file (it starts with 68656c6c); name a compiled program, not a script or archive\n`,
    );
  });

  it('needs --out', async () => {
    const result = await runQus(['shim', busyboxPath('ppc64el')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: required option '--out <dir>' not specified");
  });
});

describeKernel('qus run', () => {
  it('runs a command with emulation in a private namespace', async () => {
    const result = await runQus(['run', ...emulators, '--', busyboxPath('armel'), 'sh', '-c', 'uname -m; exit 3']);

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('armv7l\n');
  });

  it('names a text file without execute permission', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'qus-cli-run-'));
    const text = join(folder, 'notes.txt');
    writeFileSync(text, 'hello\n', { mode: 0o644 });

    const result = await runQus(['run', ...emulators, '--', text]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `qus: error: cannot run ${text}: permission denied, because the file has no execute permission and is not an ELF program; name a compiled program, or make a script with a #! line executable (chmod +x)\n`,
    );
    rmSync(folder, { recursive: true });
  });

  it('gives 143 for a command killed by SIGTERM', async () => {
    const result = await runQus(['run', ...emulators, '--', busyboxPath('arm64'), 'sh', '-c', 'kill -TERM $$']);

    expect(result.code).toBe(143);
  });
});

describe('qus-container-entrypoint --help', () => {
  it('prints its description in whole lines', () => {
    const entrypoint = join(repositoryRoot, 'packages', 'container-exec', 'dist', 'entrypoint-bin.js');

    const result = spawnSync(process.execPath, [entrypoint, '--help'], { encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout.split('\n\n')[1]).toBe(
      "Registers the QEMU emulators of this image with the kernel's binfmt_misc (flag F, so\n" +
        'they keep working after the container exits, and P on Linux 5.12 and later), then runs\n' +
        'the command, if given. The report goes to standard output, or to standard error when a\n' +
        'command follows.',
    );
  });
});
