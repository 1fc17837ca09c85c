import { chmodSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { busyboxPath, DEBIAN_ARCHITECTURES, EXPECTED_UNAME, qemuStaticPath } from '../support/fixtures.js';
import { describeKernel } from '../support/namespace.js';
import {
  copyBusyboxToHostilePath,
  DRIVER,
  fixtureLayout,
  HOSTILE_ARGUMENTS,
  HOSTILE_OUTPUT,
  listFolder,
  makeOpenFolder,
  runDriver,
  runProcess,
  terminateWhenRunning,
} from './support.js';

/** The machine's own binfmt_misc instance, only ever read here. */
const MACHINE_INSTANCE = '/proc/sys/fs/binfmt_misc';

describeKernel('runRootless as uid 65534', () => {
  const options = { layout: fixtureLayout() };
  const asNobody = { asNobody: true } as const;
  let folder = '';
  let machineEntries: string[] = [];

  beforeAll(() => {
    folder = makeOpenFolder('qus-rootless-');
    machineEntries = listFolder(MACHINE_INSTANCE);
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it.each(DEBIAN_ARCHITECTURES)('runs the %s busybox and a script', async (architecture) => {
    const cwd = makeOpenFolder('qus-rootless-cwd-');
    const script = 'uname -m; echo "$((6 * 7))" | cat; id -u';

    const result = await runDriver('rootless', options, [busyboxPath(architecture), 'sh', '-c', script], {
      ...asNobody,
      cwd,
    });

    expect(result.stderr).toBe('mode: namespace\n');
    expect(result.stdout).toBe(`${EXPECTED_UNAME[architecture].uname}\n42\n0\n`);
    expect(result.code).toBe(0);
    expect(listFolder(cwd)).toEqual([]);
    expect(listFolder(MACHINE_INSTANCE)).toEqual(machineEntries);
    rmSync(cwd, { recursive: true });
  });

  it('emulates programs that a native command starts', async () => {
    const script = `"$0" uname -m; "$1" uname -m`;

    const result = await runDriver(
      'rootless',
      { ...options, targets: ['mipsel', 's390x'] },
      ['/bin/sh', '-c', script, busyboxPath('mipsel'), busyboxPath('s390x')],
      asNobody,
    );

    expect(result.stdout).toBe('mips\ns390x\n');
    expect(result.code).toBe(0);
  });

  it('emulates children of other CPUs', async () => {
    const script = `"$1" uname -m; "$2" uname -m; "$3" uname -m`;

    const result = await runDriver(
      'rootless',
      options,
      [
        busyboxPath('s390x'),
        'sh',
        '-c',
        script,
        'sh',
        busyboxPath('armhf'),
        busyboxPath('mipsel'),
        busyboxPath('i386'),
      ],
      asNobody,
    );

    expect(result.stdout).toBe('armv7l\nmips\nx86_64\n');
    expect(result.code).toBe(0);
  });

  it('passes the exit status through', async () => {
    const result = await runDriver('rootless', options, [busyboxPath('arm64'), 'sh', '-c', 'exit 7'], asNobody);

    expect(result.code).toBe(7);
  });

  it('reports death by SIGTERM as 143', async () => {
    const result = await runDriver('rootless', options, [busyboxPath('arm64'), 'sh', '-c', 'kill -TERM $$'], asNobody);

    expect(result.code).toBe(143);
  });

  it('forwards SIGTERM to the command', async () => {
    const result = await runDriver('rootless', options, [busyboxPath('arm64'), 'sleep', '30'], {
      ...asNobody,
      onStart: (pid) => terminateWhenRunning(pid, qemuStaticPath('aarch64')),
    });

    expect(result.code).toBe(143);
  });

  it('pipes standard input', async () => {
    const result = await runDriver('rootless', options, [busyboxPath('s390x'), 'sh', '-c', 'cat; echo end'], {
      ...asNobody,
      input: 'one\ntwo\n',
    });

    expect(result.stdout).toBe('one\ntwo\nend\n');
  });

  it('passes hostile arguments and file names untouched', async () => {
    const program = copyBusyboxToHostilePath(folder);
    const cwd = makeOpenFolder('qus-rootless-cwd-');

    const result = await runDriver('rootless', options, [program, 'printf', '%s|', ...HOSTILE_ARGUMENTS], {
      ...asNobody,
      cwd,
    });

    expect(result.stderr).toBe('mode: namespace\n');
    expect(result.stdout).toBe(HOSTILE_OUTPUT);
    expect(listFolder(cwd)).toEqual([]);
    rmSync(cwd, { recursive: true });
  });

  it.each([
    [
      'a text file',
      'notes.txt',
      'hello\n',
      'is not an ELF program; name a compiled program, or make a script with a #! line executable (chmod +x)',
    ],
    ['an ELF program', 'busybox', null, 'make it executable (chmod +x)'],
  ])('names %s without execute permission', async (_what, name, text, fix) => {
    const path = join(folder, name);
    if (text === null) copyFileSync(busyboxPath('arm64'), path);
    else writeFileSync(path, text);
    chmodSync(path, 0o644);

    const result = await runDriver('rootless', options, [path], asNobody);

    expect(result.stderr).toBe(
      `error: cannot run ${path}: permission denied, because the file has no execute permission${text === null ? '; ' : ' and '}${fix}\n`,
    );
    expect(result.code).toBe(125);
  });

  it('falls back to the shim without user namespaces', async () => {
    // Inside a user namespace, root may lower the namespace limit to 0 for its descendants.
    const script = 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"';

    const result = await runProcess('unshare', [
      '--user',
      '--map-root-user',
      'sh',
      '-c',
      script,
      'sh',
      process.execPath,
      DRIVER,
      'rootless',
      JSON.stringify(options),
      busyboxPath('arm64'),
      'uname',
      '-m',
    ]);

    expect(result.stderr).toBe(
      [
        `notice: cannot create a user and mount namespace (unshare: unshare failed: No space left on device); user namespaces may be disabled (check the sysctl user.max_user_namespaces); running ${JSON.stringify(busyboxPath('arm64'))} through the exec shim instead, so programs it starts are not emulated`,
        'mode: shim',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('aarch64\n');
  });

  it('falls back to the shim before Linux 6.7', async () => {
    const result = await runDriver('rootless', { ...options, kernelRelease: '6.6.30' }, [
      busyboxPath('arm64'),
      'uname',
      '-m',
    ]);

    expect(result.stderr).toBe(
      [
        `notice: Linux 6.6.30 has no binfmt_misc instance per user namespace (it needs Linux 6.7 or later); running ${JSON.stringify(busyboxPath('arm64'))} through the exec shim instead, so programs it starts are not emulated`,
        'mode: shim',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('aarch64\n');
  });
});
