import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeWrappers } from '@qus/container-exec';
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
  runProcess,
  terminateWhenRunning,
} from './support.js';

describeKernel('writeWrappers', () => {
  let folder = '';
  let hostileProgram = '';
  const wrapperOf = (architecture: string): string => join(folder, 'bin', architecture, 'busybox');

  beforeAll(async () => {
    folder = makeOpenFolder('qus-wrappers-');
    for (const architecture of DEBIAN_ARCHITECTURES) {
      const written = await writeWrappers([busyboxPath(architecture)], {
        outDir: join(folder, 'bin', architecture),
        layout: fixtureLayout(),
      });
      expect(written.isOk()).toBe(true);
    }
    hostileProgram = copyBusyboxToHostilePath(folder);
    const hostile = await writeWrappers([hostileProgram], { outDir: join(folder, 'hostile'), layout: fixtureLayout() });
    expect(hostile.isOk()).toBe(true);
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('writes a one-line exec wrapper', () => {
    const text = readFileSync(wrapperOf('arm64'), 'utf8');

    expect(text).toBe(
      [
        '#!/bin/sh',
        '# Written by @qus/container-exec: runs an aarch64 program under QEMU.',
        `exec '${qemuStaticPath('aarch64')}' -0 "$0" '${busyboxPath('arm64')}' "$@"`,
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['armhf', 'runs an arm program'],
    ['s390x', 'runs an s390x program'],
    ['mips64el', 'runs a mips64el program'],
    ['ppc64el', 'runs a ppc64le program'],
  ])('names the %s target with its article', (architecture, expected) => {
    const header = readFileSync(wrapperOf(architecture), 'utf8').split('\n')[1];

    expect(header).toBe(`# Written by @qus/container-exec: ${expected} under QEMU.`);
  });

  it('returns each wrapper with its target', async () => {
    const outDir = join(folder, 'report');

    const written = await writeWrappers([busyboxPath('s390x'), '/bin/true'], { outDir, layout: fixtureLayout() });

    expect(written._unsafeUnwrap()).toEqual([
      { program: busyboxPath('s390x'), wrapper: join(outDir, 'busybox'), target: 's390x' },
      { program: '/bin/true', wrapper: join(outDir, 'true'), target: null },
    ]);
    expect(readFileSync(join(outDir, 'true'), 'utf8')).toContain(`exec '/bin/true' "$@"`);
  });

  it.each(DEBIAN_ARCHITECTURES)('runs the %s busybox', async (architecture) => {
    const result = await runProcess(wrapperOf(architecture), ['uname', '-m']);

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${EXPECTED_UNAME[architecture].uname}\n`);
    expect(result.code).toBe(0);
  });

  it('passes the exit status through', async () => {
    const result = await runProcess(wrapperOf('mipsel'), ['sh', '-c', 'exit 7']);

    expect(result.code).toBe(7);
  });

  it('dies by the signal that killed the program', async () => {
    const result = await runProcess(wrapperOf('arm64'), ['sh', '-c', 'kill -TERM $$']);

    expect(result.signal).toBe('SIGTERM');
  });

  it('is replaced by the emulator, so SIGTERM reaches it', async () => {
    const result = await runProcess(wrapperOf('arm64'), ['sleep', '30'], {
      onStart: (pid) => terminateWhenRunning(pid, qemuStaticPath('aarch64'), 'self'),
    });

    expect(result.signal).toBe('SIGTERM');
  });

  it('pipes standard input', async () => {
    const result = await runProcess(wrapperOf('ppc64el'), ['cat'], { input: 'one\ntwo\n' });

    expect(result.stdout).toBe('one\ntwo\n');
  });

  it('passes hostile arguments and file names untouched', async () => {
    const cwd = makeOpenFolder('qus-wrappers-cwd-');

    const result = await runProcess(
      join(folder, 'hostile', basename(hostileProgram)),
      ['printf', '%s|', ...HOSTILE_ARGUMENTS],
      {
        cwd,
      },
    );

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(HOSTILE_OUTPUT);
    expect(listFolder(cwd)).toEqual([]);
    rmSync(cwd, { recursive: true });
  });
});
