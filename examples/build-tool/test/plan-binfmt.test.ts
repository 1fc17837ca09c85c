import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRegisterString, register } from '@qus/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { busyboxPath, qemuStaticDir } from '../../../test/support/fixtures.js';
import { describeKernel, runInNamespace } from '../../../test/support/namespace.js';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin.mjs');
const programs = [busyboxPath('arm64'), busyboxPath('armhf'), busyboxPath('i386'), busyboxPath('s390x')];

/** Run the example as a user would; it imports the built packages. */
function planBinfmt(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('node', [script, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The register line qus itself builds for a target with the fixture emulators and flag F. */
function expectedLine(target: string): string {
  const layout = { kind: 'directory', directory: qemuStaticDir(), suffix: '-static' } as const;
  const [record] = register([target], { layout, flags: 'F' })._unsafeUnwrap();
  return formatRegisterString(record as NonNullable<typeof record>)._unsafeUnwrap();
}

let out: string;

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'qus-example-build-tool-'));
});

afterEach(() => {
  rmSync(out, { recursive: true, force: true });
});

describeKernel('build-tool example', () => {
  describe('on an x86_64 host', () => {
    it.runIf(process.arch === 'x64')('writes one file per foreign target', () => {
      const result = planBinfmt(['--out', out, '--qemu-path', qemuStaticDir(), ...programs]);

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        [
          `${programs[0]}: aarch64`,
          `${programs[1]}: arm`,
          `${programs[2]}: i386, runs natively on x86_64`,
          `${programs[3]}: s390x`,
          `create ${join(out, 'qemu-aarch64.conf')}`,
          `create ${join(out, 'qemu-arm.conf')}`,
          `create ${join(out, 'qemu-s390x.conf')}`,
          '',
        ].join('\n'),
      );
      expect(readdirSync(out).sort()).toEqual(['qemu-aarch64.conf', 'qemu-arm.conf', 'qemu-s390x.conf']);
      for (const target of ['aarch64', 'arm', 's390x']) {
        const lines = readFileSync(join(out, `qemu-${target}.conf`), 'utf8').split('\n');
        expect(lines[1]).toBe(expectedLine(target));
      }
    });
  });

  it('leaves unchanged files alone on a second run', () => {
    planBinfmt(['--out', out, '--qemu-path', qemuStaticDir(), busyboxPath('arm64')]);

    const again = planBinfmt(['--out', out, '--qemu-path', qemuStaticDir(), busyboxPath('arm64')]);

    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${busyboxPath('arm64')}: aarch64\nunchanged ${join(out, 'qemu-aarch64.conf')}\n`);
  });

  it('writes nothing when one program is not ELF', () => {
    const readme = join(dirname(script), 'README.md');

    const result = planBinfmt(['--out', out, busyboxPath('arm64'), readme]);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(`^error: ${readme}: not an ELF file \\(it starts with [0-9a-f]+\\); name a compiled program`),
    );
    expect(result.stderr.endsWith('nothing written\n')).toBe(true);
    expect(readdirSync(out)).toEqual([]);
  });

  it('rejects a missing --out with usage', () => {
    const result = planBinfmt([busyboxPath('arm64')]);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'plan-binfmt: give --out DIR and at least one PROGRAM\n' +
        'usage: plan-binfmt --out DIR [--qemu-path DIR] [--flags LETTERS] [--dry-run] PROGRAM...\n',
    );
  });

  it('writes files systemd-binfmt registers and the kernel runs', async () => {
    planBinfmt(['--out', out, '--qemu-path', qemuStaticDir(), busyboxPath('arm64'), busyboxPath('s390x')]);
    const files = readdirSync(out).map((name) => join(out, name));

    const result = await runInNamespace(
      [
        `/lib/systemd/systemd-binfmt ${files.join(' ')}; echo "rc=$?"`,
        'ls /proc/sys/fs/binfmt_misc | grep qemu-',
        `${busyboxPath('arm64')} uname -m`,
        `${busyboxPath('s390x')} uname -m`,
      ].join('\n'),
      { mount: 'proc' },
    );

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('rc=0\nqemu-aarch64\nqemu-s390x\naarch64\ns390x\n');
  });
});
