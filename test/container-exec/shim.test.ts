import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { busyboxPath, DEBIAN_ARCHITECTURES, EXPECTED_UNAME, qemuStaticPath } from '../support/fixtures.js';
import { describeKernel } from '../support/namespace.js';
import {
  copyBusyboxToHostilePath,
  fixtureLayout,
  HOSTILE_ARGUMENTS,
  HOSTILE_OUTPUT,
  listFolder,
  makeOpenFolder,
  runDriver,
  terminateWhenRunning,
} from './support.js';

describeKernel('runShim', () => {
  const options = { layout: fixtureLayout() };
  let folder = '';

  beforeAll(() => {
    folder = makeOpenFolder('qus-shim-');
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it.each(DEBIAN_ARCHITECTURES)('runs the %s busybox', async (architecture) => {
    const result = await runDriver('shim', options, [busyboxPath(architecture), 'uname', '-m']);

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${EXPECTED_UNAME[architecture].uname}\n`);
    expect(result.code).toBe(0);
  });

  it('passes the exit status through', async () => {
    const result = await runDriver('shim', options, [busyboxPath('arm64'), 'sh', '-c', 'exit 7']);

    expect(result.code).toBe(7);
  });

  it('reports death by SIGTERM as 143', async () => {
    const result = await runDriver('shim', options, [busyboxPath('arm64'), 'sh', '-c', 'kill -TERM $$']);

    expect(result.code).toBe(143);
  });

  it('forwards SIGTERM to the program', async () => {
    const result = await runDriver('shim', options, [busyboxPath('arm64'), 'sleep', '30'], {
      onStart: (pid) => terminateWhenRunning(pid, qemuStaticPath('aarch64')),
    });

    expect(result.code).toBe(143);
  });

  it('pipes standard input', async () => {
    const result = await runDriver('shim', options, [busyboxPath('arm64'), 'cat'], { input: 'one\ntwo\n' });

    expect(result.stdout).toBe('one\ntwo\n');
    expect(result.code).toBe(0);
  });

  it('passes hostile arguments and file names untouched', async () => {
    const program = copyBusyboxToHostilePath(folder);
    const cwd = makeOpenFolder('qus-shim-cwd-');

    const result = await runDriver('shim', options, [program, 'printf', '%s|', ...HOSTILE_ARGUMENTS], { cwd });

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(HOSTILE_OUTPUT);
    expect(result.code).toBe(0);
    expect(listFolder(cwd)).toEqual([]);
    rmSync(cwd, { recursive: true });
  });

  it('runs a native program directly', async () => {
    const result = await runDriver('shim', options, ['/bin/sh', '-c', 'echo native; exit 5']);

    expect(result.stdout).toBe('native\n');
    expect(result.code).toBe(5);
  });
});
