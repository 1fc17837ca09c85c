import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { machine, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARM_EXIT_ZERO, buildElf32, type CliIo, I386_EXIT_ZERO, main, probeHost } from '@qus/cli';
import { parseElfHeader } from '@qus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesPresent, qemuStaticPath } from '../support/fixtures.js';

function captureIo(overrides: Partial<CliIo> = {}): CliIo & { out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {},
    ...overrides,
    out: () => stdout,
    err: () => stderr,
  };
}

describe('@qus/cli exports', () => {
  it('lists the public API', async () => {
    const api = await import('@qus/cli');

    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "ARM_EXIT_ZERO",
        "EXIT_FAILURE",
        "EXIT_USAGE",
        "I386_EXIT_ZERO",
        "buildElf32",
        "colorsFor",
        "createProcessIo",
        "describeCliError",
        "locateEmulator",
        "main",
        "probeHost",
      ]
    `);
  });
});

describe('main', () => {
  it('returns 2 for a usage error without throwing', async () => {
    const io = captureIo();

    const code = await main(['register', '--on-error'], io);

    expect(code).toBe(2);
    expect(io.err()).toContain("error: option '--on-error <mode>' argument missing");
  });

  it('colours errors on a terminal', async () => {
    const io = captureIo({ stderrIsTTY: true });

    await main(['register', '--dry-run', 'aarch46'], io);

    expect(io.err()).toContain('\x1b[31mqus: error:\x1b[39m');
  });

  it('never colours with NO_COLOR set', async () => {
    const io = captureIo({ stderrIsTTY: true, stdoutIsTTY: true, env: { NO_COLOR: '1' } });

    await main(['register', '--dry-run', 'aarch46'], io);
    await main(['targets'], io);

    expect(io.err()).not.toContain('\x1b[');
    expect(io.out()).not.toContain('\x1b[');
  });

  it('writes help to stdout', async () => {
    const io = captureIo();

    const code = await main(['status', '--help'], io);

    expect(code).toBe(0);
    expect(io.out()).toContain('Usage: qus status [options]');
    expect(io.err()).toBe('');
  });
});

describe('buildElf32', () => {
  const directory = mkdtempSync(join(tmpdir(), 'qus-tiny-elf-'));

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  function write(name: string, bytes: Uint8Array): string {
    const path = join(directory, name);
    writeFileSync(path, bytes);
    chmodSync(path, 0o755);
    return path;
  }

  it('builds headers core reads as static executables', () => {
    const i386 = parseElfHeader(buildElf32(I386_EXIT_ZERO));
    const arm = parseElfHeader(buildElf32(ARM_EXIT_ZERO));

    expect(i386._unsafeUnwrap()).toMatchObject({
      class: 32,
      byteOrder: 'little',
      machineName: 'i386',
      typeName: 'exec',
    });
    expect(arm._unsafeUnwrap()).toMatchObject({ class: 32, machineName: 'arm', flags: 0x05000000 });
  });

  it.skipIf(machine() !== 'x86_64')('runs the i386 program natively on x86-64', () => {
    const path = write('i386', buildElf32(I386_EXIT_ZERO));

    const result = spawnSync(path);

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
  });

  it.skipIf(!fixturesPresent())('runs the arm program under qemu-arm', () => {
    const path = write('arm', buildElf32(ARM_EXIT_ZERO));

    const result = spawnSync(qemuStaticPath('arm'), [path]);

    expect(result.status).toBe(0);
  });
});

describe('probeHost', () => {
  it.skipIf(machine() !== 'x86_64')('finds i386 native on x86-64', async () => {
    const host = await probeHost();

    expect(host.probes).toEqual([{ target: 'i386', outcome: 'runs', detail: 'a 32-bit test program exited 0' }]);
    expect(host.runsNatively).toEqual(['i386']);
  });

  it('keeps the family rule for hosts without a probe', async () => {
    const host = await probeHost({ machine: 'riscv64', kernelRelease: '6.1.0-18-riscv64' });

    expect(host.probes).toEqual([]);
    expect(host.runsNatively).toBeUndefined();
    expect(host.kernel?.minor).toBe(1);
  });

  it('reports an arm probe that does not run on this host', async () => {
    if (machine() !== 'x86_64') return;

    const host = await probeHost({ machine: 'aarch64' });

    // On x86-64 the arm program is foreign, as it is on an arm64 host without AArch32.
    expect(host.probes).toEqual([
      { target: 'arm', outcome: 'does-not-run', detail: expect.stringMatching(/^a 32-bit test program did not run/) },
    ]);
    expect(host.runsNatively).toEqual([]);
  });
});
