import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { decideNativeTargets, inferIa32Emulation } from '../../packages/cli/src/native-targets.js';

let directory = '';

afterEach(() => {
  if (directory !== '') rmSync(directory, { recursive: true, force: true });
  directory = '';
});

/** Write a kernel configuration (gzip-compressed as /proc/config.gz is) and a command line. */
function kernelFiles(config: string, cmdline: string): { configPaths: string[]; cmdlinePath: string } {
  directory = mkdtempSync(join(tmpdir(), 'qus-cli-native-'));
  const configPath = join(directory, 'config.gz');
  const cmdlinePath = join(directory, 'cmdline');
  writeFileSync(configPath, gzipSync(config));
  writeFileSync(cmdlinePath, cmdline);
  return { configPaths: [join(directory, 'missing'), configPath], cmdlinePath };
}

describe('inferIa32Emulation', () => {
  it('reads CONFIG_IA32_EMULATION=y', async () => {
    const sources = kernelFiles('CONFIG_X86_64=y\nCONFIG_IA32_EMULATION=y\n', 'quiet\n');

    const verdict = await inferIa32Emulation(sources);

    expect(verdict).toEqual({
      runs: true,
      basis: `CONFIG_IA32_EMULATION=y in ${directory}/config.gz`,
      inferred: true,
    });
  });

  it('reads a kernel without IA32 emulation', async () => {
    const sources = kernelFiles('CONFIG_X86_64=y\n# CONFIG_IA32_EMULATION is not set\n', '');

    const verdict = await inferIa32Emulation(sources);

    expect(verdict).toEqual({
      runs: false,
      basis: `no CONFIG_IA32_EMULATION=y in ${directory}/config.gz`,
      inferred: true,
    });
  });

  it('reads IA32 emulation disabled by default', async () => {
    const sources = kernelFiles('CONFIG_IA32_EMULATION=y\nCONFIG_IA32_EMULATION_DEFAULT_DISABLED=y\n', 'ro quiet\n');

    const verdict = await inferIa32Emulation(sources);

    expect(verdict).toEqual({
      runs: false,
      basis: `CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y in ${directory}/config.gz`,
      inferred: true,
    });
  });

  it('lets the command line override the default', async () => {
    const sources = kernelFiles('CONFIG_IA32_EMULATION=y\n', 'ro ia32_emulation=0 quiet\n');

    const verdict = await inferIa32Emulation(sources);

    expect(verdict).toEqual({ runs: false, basis: `ia32_emulation=0 in ${directory}/cmdline`, inferred: true });
  });

  it("falls back to QEMU's family rule", async () => {
    const verdict = await inferIa32Emulation({ configPaths: ['/nonexistent/config'], cmdlinePath: '/nonexistent' });

    expect(verdict).toEqual({
      runs: true,
      basis: "QEMU's family rule (no kernel configuration was readable)",
      inferred: true,
    });
  });
});

describe('decideNativeTargets', () => {
  it('infers i386 and i486 when the probe was caught', async () => {
    const sources = kernelFiles('CONFIG_IA32_EMULATION=y\n', '');
    const probes = [
      { target: 'i386', outcome: 'unknown', detail: 'binfmt_misc entry qemu-i386 would run the probe' },
    ] as const;

    const verdicts = await decideNativeTargets({ machine: 'x86_64', probes }, sources);

    const expected = {
      runs: true,
      basis: `CONFIG_IA32_EMULATION=y in ${directory}/config.gz, since binfmt_misc entry qemu-i386 would run the probe`,
      inferred: true,
    };
    expect(verdicts.get('i386')).toEqual(expected);
    expect(verdicts.get('i486')).toEqual(expected);
  });

  it('keeps a probe that ran', async () => {
    const sources = kernelFiles('# CONFIG_IA32_EMULATION is not set\n', '');
    const probes = [{ target: 'i386', outcome: 'runs', detail: 'a 32-bit test program exited 0' }] as const;

    const verdicts = await decideNativeTargets({ machine: 'x86_64', probes }, sources);

    expect(verdicts.get('i386')).toEqual({ runs: true, basis: 'a 32-bit test program exited 0', inferred: false });
  });

  it('infers nothing for arm on arm64', async () => {
    const sources = kernelFiles('CONFIG_COMPAT=y\n', '');
    const probes = [{ target: 'arm', outcome: 'unknown', detail: 'not probed' }] as const;

    const verdicts = await decideNativeTargets({ machine: 'aarch64', probes }, sources);

    expect(verdicts.size).toBe(0);
  });
});
