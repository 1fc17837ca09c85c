import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { machine, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from '@qus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armFindings } from '../../packages/cli/src/doctor-checks.js';
import { defaultKernelConfigSources, inferIa32Emulation } from '../../packages/cli/src/native-targets.js';
import { qemuStaticDir } from '../support/fixtures.js';
import { describeKernel, runInNamespace } from '../support/namespace.js';
import { ensureBuilt, qusCommand, shellQuote } from './support.js';

interface Finding {
  readonly id: string;
  readonly severity: string;
  readonly subject: string;
  readonly message: string;
  readonly why?: string;
  readonly fix?: string;
}

describeKernel('qus doctor on a private binfmt_misc instance', () => {
  const out = mkdtempSync(join(tmpdir(), 'qus-cli-doctor-'));
  let root = '';
  const findingsOf = (name: string): Finding[] => {
    const text = readFileSync(join(out, `${name}.out`), 'utf8').replaceAll(root, '<root>');
    return (JSON.parse(text) as { findings: Finding[] }).findings;
  };

  beforeAll(async () => {
    ensureBuilt();
    const qus = qusCommand;
    const script = `
OUT=${shellQuote(out)}
echo "$BINFMT_DIR" > "$OUT/root"
R="--root $BINFMT_DIR --config-root $OUT/no-config"
${qus} register --root "$BINFMT_DIR" --qemu-path ${shellQuote(qemuStaticDir())} --preserve-argv0 yes arm64 s390x || exit 1
printf ':tool:E::tl::/bin/true:P' > "$BINFMT_DIR/register"
printf ':debian-sparc:M::\\\\x7fELF\\\\x01\\\\x02\\\\x01::/usr/libexec/qemu-binfmt/sparc-binfmt-P:P' > "$BINFMT_DIR/register"
echo 0 > "$BINFMT_DIR/qemu-s390x"
${qus} doctor --json $R > "$OUT/current.out"
${qus} doctor --json $R --kernel-release 5.10.0-28-amd64 > "$OUT/linux-5.10.out"
${qus} doctor --json $R --kernel-release 4.4.0 > "$OUT/linux-4.4.out"
${qus} register --root "$BINFMT_DIR" --qemu-path ${shellQuote(qemuStaticDir())} i386 || exit 1
${qus} doctor --json $R > "$OUT/i386-enabled.out"
echo 0 > "$BINFMT_DIR/qemu-i386"
${qus} doctor --json $R > "$OUT/i386-disabled.out"
echo -1 > "$BINFMT_DIR/qemu-i386"
mkdir -p "$OUT/config/etc/binfmt.d"
printf ':python3.11:M::\\x55\\x0d\\x0d\\x0a::/usr/bin/python3.11:\n' > "$OUT/config/etc/binfmt.d/python3.11.conf"
printf ':tool:E::tl::/bin/false:\n' > "$OUT/config/etc/binfmt.d/tool.conf"
printf ':qemu-riscv64:M::\\x7fELF\\x02::/usr/bin/qemu-riscv64-static:\n' > "$OUT/config/etc/binfmt.d/qemu-riscv64.conf"
printf ':qemu-s390x:M::\\x7fELF::/usr/bin/qemu-s390x-static:\n' > "$OUT/config/etc/binfmt.d/qemu-s390x.conf"
${qus} doctor --json --root "$BINFMT_DIR" --config-root "$OUT/config" > "$OUT/persisted.out"
exit 0
`;
    const result = await runInNamespace(script, { timeoutMs: 60_000 });
    if (result.code !== 0) throw new Error(`namespace script failed (${result.code}): ${result.stderr}`);
    root = readFileSync(join(out, 'root'), 'utf8').trim();
  }, 90_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('finds no flag problem on this kernel', () => {
    const findings = findingsOf('current');
    const ids = findings.map((finding) => finding.id);

    // The Debian -binfmt-P entry has P, and QEMU treats that name as P on any kernel.
    expect(findings.map((finding) => finding.subject)).toContain('debian-sparc');
    expect(ids).not.toContain('flag-p-unsupported');
    expect(ids).not.toContain('flag-f-unsupported');
  });

  it('reports flag P before Linux 5.12', () => {
    const findings = findingsOf('linux-5.10').filter((finding) => finding.id === 'flag-p-unsupported');

    expect(findings).toEqual([
      {
        id: 'flag-p-unsupported',
        severity: 'error',
        subject: 'qemu-s390x',
        message:
          'entry qemu-s390x has flag P, which QEMU detects only on Linux 5.12 or later (this kernel is 5.10.0-28-amd64)',
        why: 'QEMU does not see the flag, so every program gets its own path as an extra first argument',
        fix: 'qus register s390x --replace --preserve-argv0 no',
      },
      {
        id: 'flag-p-unsupported',
        severity: 'error',
        subject: 'qemu-aarch64',
        message:
          'entry qemu-aarch64 has flag P, which QEMU detects only on Linux 5.12 or later (this kernel is 5.10.0-28-amd64)',
        why: 'QEMU does not see the flag, so every program gets its own path as an extra first argument',
        fix: 'qus register aarch64 --replace --preserve-argv0 no',
      },
      {
        id: 'flag-p-unsupported',
        severity: 'error',
        subject: 'tool',
        message:
          'entry tool has flag P, which QEMU detects only on Linux 5.12 or later (this kernel is 5.10.0-28-amd64)',
        why: 'QEMU does not see the flag, so every program gets its own path as an extra first argument',
        fix: 'echo -1 > <root>/tool, then register it again without P',
      },
    ]);
  });

  it('reports flag F before Linux 4.8', () => {
    const findings = findingsOf('linux-4.4').filter((finding) => finding.id === 'flag-f-unsupported');

    expect(findings.map((finding) => finding.subject)).toEqual(['qemu-s390x', 'qemu-aarch64']);
    expect(findings[1]).toEqual({
      id: 'flag-f-unsupported',
      severity: 'error',
      subject: 'qemu-aarch64',
      message: 'entry qemu-aarch64 has flag F, which needs Linux 4.8 or later (this kernel is 4.4.0)',
      why: 'the kernel does not pin the emulator, so programs fail in containers and chroots that lack it',
      fix: 'qus register aarch64 --replace --persistent no',
    });
  });

  it('reports a disabled entry', () => {
    const findings = findingsOf('current').filter((finding) => finding.id === 'entry-disabled');

    expect(findings).toEqual([
      {
        id: 'entry-disabled',
        severity: 'warning',
        subject: 'qemu-s390x',
        message: 'entry qemu-s390x is disabled',
        why: `the kernel skips it, so the programs it matches never reach its interpreter ${qemuStaticDir()}/qemu-s390x-static and run natively or fail`,
        fix: 'echo 1 > <root>/qemu-s390x (as root)',
      },
    ]);
  });

  it('reports an enabled i386 entry the kernel runs natively', async () => {
    const expected = await inferIa32Emulation(defaultKernelConfigSources(release()));

    const findings = findingsOf('i386-enabled').filter((finding) => finding.id === 'native-target-registered');

    // Only an x86-64 kernel with IA32 emulation runs i386 programs natively.
    const native = machine() === 'x86_64' && expected.runs;
    expect(findings).toEqual(
      native
        ? [
            {
              id: 'native-target-registered',
              severity: 'warning',
              subject: 'qemu-i386',
              message: `i386 programs run natively on this host (inferred from ${expected.basis}, since binfmt_misc entry qemu-i386 would run the probe), but qemu-i386 sends them through the emulator`,
              why: 'native execution is many times faster',
              fix: 'qus unregister qemu-i386',
            },
          ]
        : [],
    );
  });

  it('leaves out the native warning for a disabled entry', () => {
    const ids = findingsOf('i386-disabled')
      .filter((finding) => finding.subject === 'qemu-i386')
      .map((finding) => finding.id);

    expect(ids).toContain('entry-disabled');
    expect(ids).not.toContain('native-target-registered');
  });

  it('offers qus register only for QEMU entries', () => {
    const findings = findingsOf('persisted').filter((finding) => finding.id.startsWith('persistent-'));

    expect(findings.map(({ id, subject, fix }) => ({ id, subject, fix }))).toEqual([
      { id: 'persistent-not-registered', subject: 'python3.11', fix: 'systemctl restart systemd-binfmt' },
      {
        id: 'persistent-not-registered',
        subject: 'qemu-riscv64',
        fix: 'systemctl restart systemd-binfmt, or qus register riscv64',
      },
      {
        id: 'persistent-differs',
        subject: 'qemu-s390x',
        fix: 'qus emit s390x --force (to keep the live entry), or systemctl restart systemd-binfmt',
      },
      { id: 'persistent-differs', subject: 'tool', fix: 'systemctl restart systemd-binfmt' },
    ]);
  });

  it('gives every finding an id', () => {
    const findings = findingsOf('current');

    for (const finding of findings) expect(finding.id, finding.message).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('armFindings', () => {
  const withoutAarch32 = {
    machine: 'aarch64',
    probes: [{ target: 'arm', outcome: 'does-not-run', detail: 'a 32-bit test program did not run (status 2)' }],
  } as const;
  const [armRecord] = register(['arm'])._unsafeUnwrap();
  if (armRecord === undefined) throw new Error('register(["arm"]) returned no record');
  const armEntry = { record: armRecord, enabled: true };

  it('reports arm64 without AArch32 and no arm entry', () => {
    const findings = armFindings(withoutAarch32, []);

    expect(findings).toEqual([
      {
        id: 'arm32-not-registered',
        severity: 'warning',
        subject: 'arm',
        message:
          'this aarch64 host cannot run 32-bit arm programs natively (a 32-bit test program did not run (status 2)), and no enabled entry matches them',
        why: "32-bit arm programs will fail, and QEMU's family rule does not register arm on arm64 hosts",
        fix: 'qus register arm',
      },
    ]);
  });

  it('accepts an enabled arm entry', () => {
    expect(armFindings(withoutAarch32, [armEntry])).toEqual([]);
  });

  it('reports a disabled arm entry', () => {
    const findings = armFindings(withoutAarch32, [{ ...armEntry, enabled: false }]);

    expect(findings.map((finding) => finding.id)).toEqual(['arm32-not-registered']);
  });

  it('accepts arm64 that runs 32-bit arm', () => {
    const host = { machine: 'arm64', probes: [{ target: 'arm', outcome: 'runs', detail: 'exited 0' }] } as const;

    expect(armFindings(host, [])).toEqual([]);
  });

  it('accepts an arm64 probe that could not tell', () => {
    const host = { machine: 'aarch64', probes: [{ target: 'arm', outcome: 'unknown', detail: 'not probed' }] } as const;

    expect(armFindings(host, [])).toEqual([]);
  });

  it('ignores other hosts', () => {
    const host = {
      machine: 'x86_64',
      probes: [{ target: 'i386', outcome: 'does-not-run', detail: 'status 2' }],
    } as const;

    expect(armFindings(host, [])).toEqual([]);
  });
});
