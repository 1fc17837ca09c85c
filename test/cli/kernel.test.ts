import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { machine, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { busyboxPath, DEBIAN_ARCHITECTURES, EXPECTED_UNAME, fixturesDir, qemuStaticDir } from '../support/fixtures.js';
import { describeKernel, runInNamespace } from '../support/namespace.js';
import { ensureBuilt, qusCommand, shellQuote } from './support.js';

/** Shell helpers: `step NAME CMD…` keeps the output and exit code of CMD under $OUT. */
const STEP = 'step() { name=$1; shift; "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; echo $? >"$OUT/$name.rc"; }';

interface Step {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function stepReader(out: string): (name: string) => Step {
  const root = readFileSync(join(out, 'root'), 'utf8').trim();
  const normalize = (text: string): string =>
    text.replaceAll(root, '<root>').replaceAll(out, '<out>').replaceAll(fixturesDir(), '<fixtures>');
  return (name) => ({
    code: Number(readFileSync(join(out, `${name}.rc`), 'utf8')),
    stdout: normalize(readFileSync(join(out, `${name}.out`), 'utf8')),
    stderr: normalize(readFileSync(join(out, `${name}.err`), 'utf8')),
  });
}

describeKernel('qus on a private binfmt_misc instance', () => {
  const out = mkdtempSync(join(tmpdir(), 'qus-cli-kernel-'));
  let step: (name: string) => Step;

  beforeAll(async () => {
    ensureBuilt();
    const qemu = shellQuote(qemuStaticDir());
    const qus = qusCommand;
    const script = `
${STEP}
OUT=${shellQuote(out)}
echo "$BINFMT_DIR" > "$OUT/root"
R="--root $BINFMT_DIR"
step register ${qus} register $R --qemu-path ${qemu} arm64 armhf s390x mips64el
step register-again ${qus} register $R --qemu-path ${qemu} arm64
step run-arm64 ${shellQuote(busyboxPath('arm64'))} uname -m
step run-armhf ${shellQuote(busyboxPath('armhf'))} uname -m
step run-s390x ${shellQuote(busyboxPath('s390x'))} uname -m
step run-mips64el ${shellQuote(busyboxPath('mips64el'))} uname -m
step status ${qus} status $R
step status-json ${qus} status --json $R
step inspect ${qus} inspect $R ${shellQuote(busyboxPath('armhf'))}
step inspect-json ${qus} inspect --json $R ${shellQuote(busyboxPath('arm64'))}
echo 0 > "$BINFMT_DIR/status"
step inspect-disabled ${qus} inspect $R ${shellQuote(busyboxPath('armhf'))}
step inspect-disabled-json ${qus} inspect --json $R ${shellQuote(busyboxPath('arm64'))}
echo 1 > "$BINFMT_DIR/status"
step conflict ${qus} register $R --qemu-path ${qemu} --persistent no arm64
step replace ${qus} register $R --qemu-path ${qemu} --persistent no --replace arm64
step status-replaced ${qus} status --json $R
step rollback ${qus} register $R --qemu-path ${qemu} --on-error rollback armeb arm64
step status-rollback ${qus} status --json $R
printf ':python:E::py::/usr/bin/python3:' > "$BINFMT_DIR/register"
step unregister-typo ${qus} unregister $R aarch46
step unregister-not-registered ${qus} unregister $R arm64 qemu-nothere 'nothing-*'
step unregister-not-registered-json ${qus} unregister --json $R qemu-nothere
step status-not-registered ${qus} status --json $R
step unregister-all-qemu ${qus} unregister $R --all-qemu
step status-after-unregister ${qus} status --json $R
step unregister-missing ${qus} unregister $R arm64
step install ${qus} --install arm64,riscv64 $R --qemu-path ${qemu}
step uninstall ${qus} --uninstall 'qemu-*' $R
mkdir "$OUT/two"
ln -s ${qemu}/qemu-s390x-static ${qemu}/qemu-riscv64-static "$OUT/two/"
step partial-plan ${qus} register $R --qemu-path "$OUT/two"
step partial-plan-status ${qus} status --json $R
${qus} --uninstall 'qemu-*' $R >/dev/null 2>&1
step continue-missing ${qus} register $R --qemu-path "$OUT/two" --on-error continue arm64 s390x
step continue-missing-status ${qus} status --json $R
${qus} --uninstall 'qemu-*' $R >/dev/null 2>&1
mkdir "$OUT/unmounted"
step not-mounted ${qus} register --root "$OUT/unmounted" --qemu-path ${qemu} arm64
step mount ${qus} register --root "$OUT/unmounted" --mount --qemu-path ${qemu} arm64
step missing-emulator ${qus} register $R --qemu-path "$OUT" or1k
step missing-named ${qus} register $R --qemu-path ${qemu} --qemu-suffix -none or1k riscv64 s390x
step missing-all ${qus} register $R --qemu-path "$OUT" --all
step missing-plan ${qus} register $R --qemu-path "$OUT"
printf ':broken:M::\\x7fELF\\x01\\x02\\x01::/nonexistent/qemu-sparc:' > "$BINFMT_DIR/register"
step doctor ${qus} doctor --json $R --config-root "$OUT/no-config"
step dry-run ${qus} register --dry-run --json $R --qemu-path ${qemu} arm64
exit 0
`;
    const result = await runInNamespace(script, { timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`namespace script failed (${result.code}): ${result.stderr}`);
    step = stepReader(out);
  }, 150_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('registers named targets', () => {
    const result = step('register');

    expect(result.code).toBe(0);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qemu-arm: registered
      qemu-mips64el: registered
      qemu-s390x: registered
      qemu-aarch64: registered
      done: 4 registered
      "
    `);
  });

  it('leaves an identical entry unchanged', () => {
    const result = step('register-again');

    expect(result.code).toBe(0);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qemu-aarch64: unchanged
      done: 1 unchanged
      "
    `);
  });

  it('makes the foreign busybox binaries run', () => {
    expect(step('run-arm64').stdout).toBe('aarch64\n');
    expect(step('run-armhf').stdout).toBe('armv7l\n');
    expect(step('run-s390x').stdout).toBe('s390x\n');
    expect(step('run-mips64el').stdout).toBe('mips64\n');
  });

  it('prints every entry in status', () => {
    const result = step('status');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "qemu-arm  enabled  flags F  <fixtures>/qemu/usr/bin/qemu-arm-static
        offset 0  magic 7f454c4601010100000000000000000002002800  mask ffffffffffffff00fffffffffffffffffeffffff
      qemu-mips64el  enabled  flags F  <fixtures>/qemu/usr/bin/qemu-mips64el-static
        offset 0  magic 7f454c4602010100000000000000000002000800  mask ffffffffffffff0000fffffffffffffffeffffff
      qemu-s390x  enabled  flags F  <fixtures>/qemu/usr/bin/qemu-s390x-static
        offset 0  magic 7f454c4602020100000000000000000000020016  mask ffffffffffffff00fffffffffffffffffffeffff
      qemu-aarch64  enabled  flags F  <fixtures>/qemu/usr/bin/qemu-aarch64-static
        offset 0  magic 7f454c460201010000000000000000000200b700  mask ffffffffffffff00fffffffffffffffffeffffff
      "
    `);
    expect(result.stderr).toBe('binfmt_misc at <root>: enabled, 4 entries\n');
  });

  it('keeps the tonistiigi/binfmt keys in status --json', () => {
    const result = step('status-json');

    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as {
      supported: string[];
      emulators: string[];
      entries: { name: string; flags: string; interpreterExists: boolean; magic: string }[];
    };
    expect(status.emulators).toEqual(['qemu-arm', 'qemu-mips64el', 'qemu-s390x', 'qemu-aarch64']);
    expect(status.supported).toEqual(
      expect.arrayContaining(['linux/arm64', 'linux/arm/v7', 'linux/s390x', 'linux/mips64le']),
    );
    expect(status.supported).not.toContain('linux/riscv64');
    expect(status.entries.map((entry) => entry.flags)).toEqual(['F', 'F', 'F', 'F']);
    expect(status.entries.every((entry) => entry.interpreterExists)).toBe(true);
    expect(status.entries[3]?.magic).toBe('7f454c460201010000000000000000000200b700');
  });

  it('shows which entry runs a file and why the others do not', () => {
    const result = step('inspect');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "<fixtures>/busybox/armhf/bin/busybox: ELF 32-bit little-endian arm, exec, static
        target: arm (emulator qemu-arm)
        runs with: qemu-arm (<fixtures>/qemu/usr/bin/qemu-arm-static, flags F)
        not qemu-aarch64: byte 4 is 0x01, expected 0x02 under mask 0xff
        not qemu-s390x: byte 4 is 0x01, expected 0x02 under mask 0xff
        not qemu-mips64el: byte 4 is 0x01, expected 0x02 under mask 0xff
      "
    `);
  });

  it('prints the winner in inspect --json', () => {
    const [report] = JSON.parse(step('inspect-json').stdout) as {
      target: string;
      elf: { class: number; machineName: string; linkage: { kind: string } };
      entries: { winner: { name: string }; rejected: { name: string; reason: string }[] };
    }[];

    expect(report?.target).toBe('aarch64');
    expect(report?.elf.class).toBe(64);
    expect(report?.elf.linkage.kind).toBe('static');
    expect(report?.entries.winner.name).toBe('qemu-aarch64');
    expect(report?.entries.rejected.map((rejection) => rejection.reason)).toEqual([
      'byte-mismatch',
      'byte-mismatch',
      'byte-mismatch',
    ]);
  });

  it('reports a disabled instance once in inspect', () => {
    const result = step('inspect-disabled');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "<fixtures>/busybox/armhf/bin/busybox: ELF 32-bit little-endian arm, exec, static
        target: arm (emulator qemu-arm)
        runs with: no binfmt_misc entry, because binfmt_misc is disabled
        once enabled: qemu-arm (<fixtures>/qemu/usr/bin/qemu-arm-static, flags F)
        not qemu-aarch64: byte 4 is 0x01, expected 0x02 under mask 0xff
        not qemu-s390x: byte 4 is 0x01, expected 0x02 under mask 0xff
        not qemu-mips64el: byte 4 is 0x01, expected 0x02 under mask 0xff
      "
    `);
    expect(result.stderr).toBe(
      'warning: binfmt_misc at <root> is disabled, so the kernel loads every program as a native one; nothing runs through binfmt_misc until "echo 1 > <root>/status" (as root)\n',
    );
  });

  it('reports a disabled instance in inspect --json', () => {
    const result = step('inspect-disabled-json');
    const [report] = JSON.parse(result.stdout) as {
      entries: {
        instanceEnabled: boolean;
        winner: unknown;
        winnerWhenEnabled: { name: string };
        rejected: { reason: string }[];
      };
    }[];

    expect(result.code).toBe(0);
    expect(report?.entries.instanceEnabled).toBe(false);
    expect(report?.entries.winner).toBeNull();
    expect(report?.entries.winnerWhenEnabled.name).toBe('qemu-aarch64');
    expect(report?.entries.rejected.map((rejection) => rejection.reason)).not.toContain('disabled');
  });

  it('reports a different entry of the same name', () => {
    const result = step('conflict');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qemu-aarch64: failed: entry "qemu-aarch64" already exists with different contents:
        existing:  :qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:<fixtures>/qemu/usr/bin/qemu-aarch64-static:F
        requested: :qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:<fixtures>/qemu/usr/bin/qemu-aarch64-static:
      run again with --replace to replace it, or remove it first with "qus unregister qemu-aarch64"
      failed: 1 failed
      "
    `);
  });

  it('replaces it with --replace', () => {
    const replaced = step('replace');
    const status = JSON.parse(step('status-replaced').stdout) as { entries: { name: string; flags: string }[] };

    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toContain('qemu-aarch64: replaced\n');
    expect(status.entries.find((entry) => entry.name === 'qemu-aarch64')?.flags).toBe('');
  });

  it('rolls back the whole run on request', () => {
    const result = step('rollback');
    const status = JSON.parse(step('status-rollback').stdout) as { emulators: string[] };

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('qemu-aarch64: failed: ');
    expect(result.stderr).toContain('qemu-armeb: rolled-back\n');
    expect(status.emulators).not.toContain('qemu-armeb');
  });

  it('rejects an unknown selector before removing anything', () => {
    const result = step('unregister-typo');

    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: unknown target "aarch46": did you mean "aarch64"?
      "
    `);
  });

  it('reports each selector that matches nothing', () => {
    const result = step('unregister-not-registered');
    const status = JSON.parse(step('status-not-registered').stdout) as { emulators: string[] };

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'qemu-aarch64: removed\n' +
        'qemu-nothere: no such entry, nothing removed\n' +
        'nothing-*: no such entry, nothing removed\n' +
        'failed: 1 removed, 2 not found\n',
    );
    expect(status.emulators).not.toContain('qemu-aarch64');
    expect(status.emulators).toContain('qemu-s390x');
  });

  it('prints JSON for an entry that is not registered', () => {
    const result = step('unregister-not-registered-json');

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ removed: [], missing: ['qemu-nothere'], failed: [] });
    expect(result.stderr).toBe('');
  });

  it('removes only QEMU entries with --all-qemu', () => {
    const result = step('unregister-all-qemu');
    const status = JSON.parse(step('status-after-unregister').stdout) as { emulators: string[] };

    expect(result.code).toBe(0);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qemu-arm: removed
      qemu-mips64el: removed
      qemu-s390x: removed
      done: 3 removed
      "
    `);
    expect(status.emulators).toEqual(['python']);
  });

  it('says when a named entry is already gone', () => {
    const result = step('unregister-missing');

    expect(result.code).toBe(1);
    expect(result.stderr).toBe('qemu-aarch64: no such entry, nothing removed\nfailed: 0 removed, 1 not found\n');
  });

  it('accepts the tonistiigi/binfmt flags', () => {
    const install = step('install');
    const uninstall = step('uninstall');

    expect(install.code).toBe(0);
    expect(install.stderr).toContain('qemu-aarch64: registered\nqemu-riscv64: registered\n');
    expect(uninstall.code).toBe(0);
    expect(uninstall.stderr).toBe('qemu-aarch64: removed\nqemu-riscv64: removed\ndone: 2 removed\n');
  });

  it('registers the installed part of the host plan', () => {
    const result = step('partial-plan');
    const status = JSON.parse(step('partial-plan-status').stdout) as { emulators: string[] };

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: emulator not found for \d+ target\(s\): <out>\/two\/qemu-\w+-static, <out>\/two\/qemu-\w+-static, <out>\/two\/qemu-\w+-static and \d+ more; registering skips them: install the static emulators \(Debian, Ubuntu: apt-get install qemu-user-static; Fedora: dnf install qemu-user-static\) or pass --qemu-path DIR\nqemu-s390x: registered\nqemu-riscv64: registered\ndone: 2 registered\n$/,
    );
    expect(status.emulators).toEqual(['python', 'qemu-s390x', 'qemu-riscv64']);
  });

  it('explains how to mount binfmt_misc', () => {
    const result = step('not-mounted');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: binfmt_misc is not mounted at <out>/unmounted: run with --mount, or as root: mount -t binfmt_misc binfmt_misc <out>/unmounted
      "
    `);
  });

  it('mounts binfmt_misc with --mount', () => {
    const result = step('mount');

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('qemu-aarch64: registered\n');
  });

  it('fails for a named target without its emulator', () => {
    const result = step('missing-emulator');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: emulator for or1k not found at <out>/qemu-or1k-static; install the static emulators (Debian, Ubuntu: apt-get install qemu-user-static; Fedora: dnf install qemu-user-static) or pass --qemu-path DIR
      "
    `);
  });

  it('names every missing emulator of named targets at once', () => {
    const result = step('missing-named');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: emulator not found for all 3 targets (<fixtures>/qemu/usr/bin/qemu-s390x-none, <fixtures>/qemu/usr/bin/qemu-riscv64-none, <fixtures>/qemu/usr/bin/qemu-or1k-none), so nothing was registered; install the static emulators (Debian, Ubuntu: apt-get install qemu-user-static; Fedora: dnf install qemu-user-static) or pass --qemu-path DIR
      "
    `);
  });

  it('registers the rest with --on-error continue', () => {
    const result = step('continue-missing');
    const status = JSON.parse(step('continue-missing-status').stdout) as { emulators: string[] };

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'qemu-aarch64: failed: emulator for aarch64 not found at <out>/two/qemu-aarch64-static; install the static emulators (Debian, Ubuntu: apt-get install qemu-user-static; Fedora: dnf install qemu-user-static) or pass --qemu-path DIR\n' +
        'qemu-s390x: registered\n' +
        'failed: 1 failed, 1 registered\n',
    );
    expect(status.emulators).toEqual(['python', 'qemu-s390x']);
  });

  it('counts the missing emulators of --all', () => {
    const result = step('missing-all');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^qus: error: emulator not found for all \d+ targets \(<out>\/qemu-\w+-static, <out>\/qemu-\w+-static, <out>\/qemu-\w+-static and \d+ more\), so nothing was registered; install the static emulators \(Debian, Ubuntu: apt-get install qemu-user-static; Fedora: dnf install qemu-user-static\) or pass --qemu-path DIR\n$/,
    );
  });

  it('counts the missing emulators of the host plan', () => {
    const result = step('missing-plan');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^qus: error: emulator not found for all \d+ targets \(.* and \d+ more\), so nothing/,
    );
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it('finds a missing interpreter in doctor', () => {
    const result = step('doctor');

    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      findings: { severity: string; subject: string; message: string; fix?: string }[];
    };
    expect(report.findings).toContainEqual({
      id: 'interpreter-missing',
      severity: 'error',
      subject: 'broken',
      message: 'interpreter /nonexistent/qemu-sparc does not exist',
      why: 'every program this entry matches fails to start',
      fix: 'install the emulator, or qus unregister broken',
    });
    expect(report.findings.find((finding) => finding.subject === 'binfmt_misc')?.severity).toBe('ok');
  });

  it('writes nothing in a dry run', () => {
    const result = step('dry-run');

    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { records: { name: string; emulatorFound: boolean }[] };
    expect(plan.records).toEqual([expect.objectContaining({ name: 'qemu-aarch64', emulatorFound: true })]);
  });
});

describeKernel('qus register without targets', () => {
  it('registers the host plan and runs every busybox', async () => {
    ensureBuilt();
    const runs = DEBIAN_ARCHITECTURES.map(
      (architecture) => `printf '%s=' ${architecture}; ${shellQuote(busyboxPath(architecture))} uname -m`,
    ).join('\n');

    const result = await runInNamespace(
      `${qusCommand} register --root "$BINFMT_DIR" --qemu-path ${shellQuote(qemuStaticDir())} || exit 1\n${runs}`,
      { timeoutMs: 120_000 },
    );

    expect(result.code).toBe(0);
    const seen = Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=')),
    );
    for (const architecture of DEBIAN_ARCHITECTURES) {
      // The probe finds i386 native on x86-64, so no entry is made and the kernel runs it directly.
      const expected =
        architecture === 'i386' && machine() === 'x86_64' ? 'x86_64' : EXPECTED_UNAME[architecture].uname;
      expect(seen[architecture], architecture).toBe(expected);
    }
    expect(result.stderr).toContain('qemu-aarch64: registered\n');
    expect(result.stderr).not.toContain(`qemu-${machine()}:`);
    if (machine() === 'x86_64') expect(result.stderr).not.toContain('qemu-i386:');
    expect(result.stderr).toMatch(/^done: \d+ registered\n$/m);
  }, 150_000);
});
