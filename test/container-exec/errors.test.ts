import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeContainerExecError,
  resolveShimCommand,
  runRootless,
  runShim,
  writeWrappers,
} from '@qus/container-exec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxPath, qemuStaticPath } from '../support/fixtures.js';
import { describeKernel } from '../support/namespace.js';
import { fixtureLayout, listFolder, makeOpenFolder, writeDynamicElf } from './support.js';

/** e_machine of AArch64. */
const EM_AARCH64 = 183;
const LOADER = '/lib/ld-linux-aarch64.so.1';

describe('runRootless input', () => {
  it('rejects an empty command', async () => {
    const result = await runRootless([]);

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      'no command given; pass the program to run and its arguments',
    );
  });
});

describeKernel('bad input to the shim and wrappers', () => {
  const options = { layout: fixtureLayout() };
  let folder = '';

  beforeAll(() => {
    folder = makeOpenFolder('qus-errors-');
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('rejects a file that is not ELF', async () => {
    const script = join(folder, 'script.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n', { mode: 0o755 });

    const result = await runShim(script, [], options);

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `cannot run ${script}: not an ELF file (it starts with 23212f62); name a compiled program, not a script or archive`,
    );
  });

  it('runs a native program without an emulator', async () => {
    const command = await resolveShimCommand('/bin/true', ['x'], options);

    expect(command._unsafeUnwrap()).toEqual({ file: '/bin/true', args: ['x'], argv0: '/bin/true', target: null });
  });

  it('builds the QEMU command for a foreign program', async () => {
    const command = await resolveShimCommand(busyboxPath('arm64'), ['-n', 'a b'], { ...options, argv0: 'sh' });

    expect(command._unsafeUnwrap()).toEqual({
      file: qemuStaticPath('aarch64'),
      args: ['-0', 'sh', busyboxPath('arm64'), '-n', 'a b'],
      argv0: qemuStaticPath('aarch64'),
      target: 'aarch64',
    });
  });

  it('names the missing emulator and how to install it', async () => {
    const empty = join(folder, 'no-emulators');
    mkdirSync(empty);

    const result = await runShim(busyboxPath('s390x'), [], {
      layout: { kind: 'directory', directory: empty, suffix: '-static' },
    });

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `cannot run ${busyboxPath('s390x')}: it is a s390x program and its emulator ${empty}/qemu-s390x-static is not installed; install qemu-s390x-static (Debian and Ubuntu: apt-get install qemu-user-static) or pass the folder that contains it`,
    );
  });

  it('asks for a sysroot for a dynamic program', async () => {
    const program = join(folder, 'dynamic');
    writeDynamicElf(program, EM_AARCH64, LOADER);

    const result = await runShim(program, [], { ...options, env: { PATH: '/usr/bin:/bin' } });

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `cannot run ${program}: it is dynamically linked and its loader ${LOADER} is not on this host; pass a sysroot (the root folder of a guest system that contains ${LOADER}) or set QEMU_LD_PREFIX`,
    );
  });

  it('rejects a sysroot that does not exist', async () => {
    const program = join(folder, 'dynamic-2');
    writeDynamicElf(program, EM_AARCH64, LOADER);

    const result = await runShim(program, [], { ...options, sysroot: join(folder, 'missing-root') });

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `sysroot ${JSON.stringify(join(folder, 'missing-root'))} is not a folder; pass the root folder of a guest system, such as one made by debootstrap`,
    );
  });

  it('rejects a sysroot without the loader', async () => {
    const program = join(folder, 'dynamic-3');
    writeDynamicElf(program, EM_AARCH64, LOADER);
    const sysroot = join(folder, 'empty-root');
    mkdirSync(sysroot);

    const result = await runShim(program, [], { ...options, sysroot });

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `cannot run ${program}: its loader ${LOADER} is not in the sysroot ${sysroot}; install the guest's libc there or pass another sysroot`,
    );
  });

  it('passes a sysroot that has the loader with -L', async () => {
    const program = join(folder, 'dynamic-4');
    writeDynamicElf(program, EM_AARCH64, LOADER);
    const sysroot = join(folder, 'guest-root');
    mkdirSync(join(sysroot, 'lib'), { recursive: true });
    writeFileSync(join(sysroot, LOADER), '');

    const command = await resolveShimCommand(program, [], { ...options, sysroot });

    expect(command._unsafeUnwrap().args).toEqual(['-L', sysroot, '-0', program, program]);
  });

  it('rejects a machine no target runs', async () => {
    const program = join(folder, 'unknown-machine');
    writeDynamicElf(program, 0x1234, LOADER);

    const result = await runShim(program, [], options);

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `cannot run ${program}: no QEMU target runs 64-bit little-endian unknown-4660 programs, and this host does not run them natively`,
    );
  });

  it('reports a program missing from PATH', async () => {
    const result = await runShim('qus-no-such-program', [], { ...options, env: { PATH: '/nonexistent' } });

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      'program "qus-no-such-program" was not found in PATH ("/nonexistent"); pass its path',
    );
  });

  it('rejects two programs with one wrapper name', async () => {
    const outDir = join(folder, 'conflict');

    const result = await writeWrappers([busyboxPath('arm64'), busyboxPath('mipsel')], { ...options, outDir });

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `programs ${busyboxPath('arm64')} and ${busyboxPath('mipsel')} would both get the wrapper "busybox"; write them to different folders`,
    );
  });

  it('writes no wrapper when one program fails', async () => {
    const outDir = makeOpenFolder('qus-errors-out-');

    const result = await writeWrappers([busyboxPath('arm64'), join(folder, 'script.sh')], { ...options, outDir });

    expect(result.isErr()).toBe(true);
    expect(listFolder(outDir)).toEqual([]);
    rmSync(outDir, { recursive: true });
  });

  it('reports an output folder that cannot be made', async () => {
    const file = join(folder, 'a-file');
    writeFileSync(file, '');

    const result = await writeWrappers([busyboxPath('arm64')], { ...options, outDir: join(file, 'bin') });

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `cannot write the wrapper ${file}/bin (ENOTDIR); no wrapper was changed; check that the folder is writable`,
    );
  });

  it('fails promptly on a folder /proc refuses', async () => {
    // Node 20's recursive mkdir retries ENOENT under /proc forever.
    const refused = '/proc/qus-no-such-folder/bin';

    const result = await writeWrappers([busyboxPath('arm64')], { ...options, outDir: refused });

    expect(describeContainerExecError(result._unsafeUnwrapErr())).toBe(
      `cannot write the wrapper ${refused} (ENOENT); no wrapper was changed; check that the folder is writable`,
    );
  });
});
