// Tests of a project that ships foreign programs. They execute the programs directly, as
// any test would, and pass only when binfmt_misc runs them through QEMU: run-suite.mjs
// provides that for the duration of the suite.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const fixtures = process.env['QUS_FIXTURES'] ?? '/tmp/qus-fixtures';
const busybox = (architecture: string): string => join(fixtures, 'busybox', architecture, 'bin', 'busybox');

describe('foreign programs', () => {
  it('runs the arm64 busybox', () => {
    const machine = execFileSync(busybox('arm64'), ['uname', '-m'], { encoding: 'utf8' });

    expect(machine).toBe('aarch64\n');
  });

  it('runs the s390x busybox', () => {
    const machine = execFileSync(busybox('s390x'), ['uname', '-m'], { encoding: 'utf8' });

    expect(machine).toBe('s390x\n');
  });

  it('runs one started by a native shell', () => {
    const output = execFileSync('sh', ['-c', `${busybox('arm64')} echo started by sh`], { encoding: 'utf8' });

    expect(output).toBe('started by sh\n');
  });

  it('sees only the entries of the suite', () => {
    const names = readdirSync('/proc/sys/fs/binfmt_misc').sort();

    expect(names).toEqual(['qemu-aarch64', 'qemu-s390x', 'register', 'status']);
  });

  it('gets flags P and F', () => {
    const entry = readFileSync('/proc/sys/fs/binfmt_misc/qemu-aarch64', 'utf8');

    expect(entry).toMatch(/^flags: PF$/m);
  });
});
