import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { machine, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { busyboxPath, fixturesPresent, qemuStaticDir } from '../support/fixtures.js';
import { ensureBuilt, repositoryRoot, runQus } from './support.js';

const fixtures = fixturesPresent();

beforeAll(() => {
  ensureBuilt();
});

describe('qus', () => {
  it('runs through the pnpm bin from the repository root', () => {
    const result = spawnSync('pnpm', ['exec', 'qus', '--version'], { cwd: repositoryRoot, encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('0.1.0\n');
  });

  it('prints its version', async () => {
    const result = await runQus(['--version']);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('0.1.0\n');
  });

  it.each(['register', 'unregister', 'status', 'inspect', 'targets', 'emit', 'lint', 'doctor', 'run', 'exec', 'shim'])(
    'prints help with examples for %s',
    async (command) => {
      const result = await runQus([command, '--help']);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: qus ${command}`);
      expect(result.stdout).toContain('Examples:');
      expect(result.stderr).toBe('');
    },
  );

  it('rejects an unknown command with exit 2', async () => {
    const result = await runQus(['regster']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: unknown command 'regster'
      (Did you mean register?)
      (run with --help for usage and examples)
      "
    `);
  });

  it('rejects an unknown option with exit 2', async () => {
    const result = await runQus(['targets', '--jsn']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: unknown option '--jsn'
      (Did you mean --json?)
      (run with --help for usage and examples)
      "
    `);
  });

  it('rejects an invalid choice with exit 2', async () => {
    const result = await runQus(['register', '--dry-run', '--on-error', 'later', 'arm64']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: option '--on-error <mode>' argument 'later' is invalid. Allowed choices are stop, continue, rollback.
      (run with --help for usage and examples)
      "
    `);
  });

  it('prints help on stderr with exit 2 without a command', async () => {
    const result = await runQus([]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: qus [options] [command]');
  });

  it('prints help for qus help COMMAND with exit 0', async () => {
    const result = await runQus(['help', 'register']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: qus register [options] [targets...]');
    expect(result.stderr).toBe('');
  });

  it.each([
    [['--install'], "option '--install' needs a comma-separated list of targets, such as arm64,riscv64 or all"],
    [
      ['--install', '--root', '/nonexistent'],
      "option '--install' needs a comma-separated list of targets, such as arm64,riscv64 or all",
    ],
    [
      ['--uninstall='],
      "option '--uninstall' needs a comma-separated list of targets, such as 'qemu-*' or arm64,riscv64",
    ],
  ])('rejects %j without a list with exit 2', async (args, message) => {
    const result = await runQus(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`qus: error: ${message}\n(run with --help for usage and examples)\n`);
  });

  it('rejects a yes|no value that is no target', async () => {
    const result = await runQus(['register', '--dry-run', '--persistent', 'maybe', 'arm64']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "qus: error: option '--persistent <yes|no>' argument 'maybe' is invalid. Allowed choices are yes, no.\n(run with --help for usage and examples)\n",
    );
  });

  it('never colours output with NO_COLOR or without a terminal', async () => {
    const result = await runQus(['register', 'aarch46'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });

    expect(result.stderr).not.toContain('\x1b[');
  });
});

describe('qus status --root', () => {
  it('suggests the mount at the same root', async () => {
    const result = await runQus(['status', '--root', '/tmp']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'qus: error: binfmt_misc is not mounted at /tmp: as root: mount -t binfmt_misc binfmt_misc /tmp, or run "qus register --mount --root /tmp" to mount and register the emulators this host needs\n',
    );
  });

  it('asks to create a missing root in doctor', async () => {
    const result = await runQus(['doctor', '--json', '--root', '/nonexistent/binfmt']);
    const report = JSON.parse(result.stdout) as { findings: { id: string; fix?: string }[] };

    expect(result.code).toBe(1);
    expect(report.findings.find((finding) => finding.id === 'binfmt-misc-not-mounted')?.fix).toBe(
      '/nonexistent/binfmt does not exist, so create it first (mkdir -p /nonexistent/binfmt), then as root: mount -t binfmt_misc binfmt_misc /nonexistent/binfmt, or run "qus register --mount --root /nonexistent/binfmt" to mount and register the emulators this host needs',
    );
  });
});

describe('qus targets', () => {
  it('lists every target with its names', async () => {
    const result = await runQus(['targets']);

    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(35);
    expect(lines.slice(0, 2).join('\n')).toMatchInlineSnapshot(`
      "TARGET        EMULATOR           DEBIAN       OCI                                               UNAME -M
      i386          qemu-i386          i386         linux/386                                         i386,i586,i686,x86"
    `);
    expect(lines.find((line) => line.startsWith('aarch64 '))).toMatchInlineSnapshot(
      `"aarch64       qemu-aarch64       arm64        linux/arm64,linux/arm64/v8                        aarch64,arm64"`,
    );
  });

  it('prints the catalogue as JSON', async () => {
    const result = await runQus(['targets', '--json']);

    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { name: string; aliases: string[]; emulator: string }[];
    expect(rows).toHaveLength(34);
    const aarch64 = rows.find((row) => row.name === 'aarch64');
    expect(aarch64?.emulator).toBe('qemu-aarch64');
    expect(aarch64?.aliases).toEqual(['aarch64', 'arm64', 'linux/arm64', 'linux/arm64/v8', 'arm64/v8']);
  });
});

describe('qus register --dry-run', () => {
  it('prints the exact line for a named target', async () => {
    const result = await runQus(['register', '--dry-run', '--qemu-path', '/opt/qemu', '--qemu-suffix', '', 'arm64']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      ":qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/opt/qemu/qemu-aarch64:F
      "
    `);
    expect(result.stderr).toContain('plan: 1 target(s)\n');
    expect(result.stderr).toContain(
      'warning: emulator not found for 1 target(s): /opt/qemu/qemu-aarch64; registering fails for them:',
    );
  });

  it('maps the qemu-binfmt-conf.sh flag options', async () => {
    const result = await runQus([
      'register',
      '--dry-run',
      '--qemu-path',
      '/opt/qemu',
      '--persistent',
      'no',
      '--credential',
      'linux/riscv64',
      '--preserve-argv0',
      'yes',
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^:qemu-riscv64:M::.*:\/opt\/qemu\/qemu-riscv64-static:OCP\n$/);
  });

  it('resolves a relative --qemu-path', async () => {
    const result = await runQus(['register', '--dry-run', '--qemu-path', './emulators', 'alpha']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`:${repositoryRoot}/emulators/qemu-alpha-static:F\n$`));
    expect(result.stderr.split('\n')[0]).toBe(
      `emulators: ${repositoryRoot}/emulators (--qemu-path ./emulators, resolved against the current directory)`,
    );
  });

  it('lists a shared missing emulator once', async () => {
    const result = await runQus(['register', '--dry-run', '--qemu-path', '/nonexistent', 'i486', 'i386', 'alpha']);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: emulator not found for 3 target(s): /nonexistent/qemu-i386-static, /nonexistent/qemu-alpha-static; registering fails for them: ',
    );
  });

  it('suggests the closest names for an unknown target', async () => {
    const result = await runQus(['register', '--dry-run', 'aarch46']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: unknown target "aarch46": did you mean "aarch64"?
      "
    `);
  });

  it("rejects the host's own CPU", async () => {
    const result = await runQus(['register', '--dry-run', machine()]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is this host's own CPU");
  });

  it('takes --ignore-family as yes, no or a bare switch', async () => {
    const yes = await runQus(['register', '--dry-run', '--ignore-family', 'yes', 'riscv64']);
    const bare = await runQus(['register', '--dry-run', '--ignore-family', 'riscv64']);
    const invalid = await runQus(['register', '--dry-run', '--ignore-family=maybe']);

    expect(yes.code).toBe(0);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toBe(yes.stdout);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(
      "error: option '--ignore-family <yes|no>' argument 'maybe' is invalid. Allowed choices are yes, no.",
    );
  });

  it('plans the targets this host needs', async () => {
    const result = await runQus(['register', '--dry-run', '--json']);

    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      records: { name: string; line: string }[];
      skipped: { target: string; reason: string }[];
    };
    const names = plan.records.map((record) => record.name);
    expect(names).toContain('qemu-riscv64');
    expect(names).not.toContain(`qemu-${machine()}`);
    expect(plan.skipped).toContainEqual({ target: machine(), reason: 'host-cpu' });
    if (machine() === 'x86_64') {
      // Every x86-64 kernel here has IA32 emulation, so the probe runs the i386 program.
      expect(plan.skipped).toContainEqual({ target: 'i386', reason: 'runs-natively' });
    }
  });

  it.skipIf(!fixtures)('marks emulators that exist', async () => {
    const found = await runQus(['register', '--dry-run', '--json', '--qemu-path', qemuStaticDir(), 's390x']);
    const missing = await runQus([
      'register',
      '--dry-run',
      '--json',
      '--qemu-path',
      qemuStaticDir(),
      '--qemu-suffix',
      '-x',
      's390x',
    ]);

    const foundPlan = JSON.parse(found.stdout) as { records: { name: string; emulatorFound: boolean }[] };
    const missingPlan = JSON.parse(missing.stdout) as { records: { name: string; emulatorFound: boolean }[] };
    expect(foundPlan.records).toEqual([expect.objectContaining({ name: 'qemu-s390x', emulatorFound: true })]);
    expect(missingPlan.records).toEqual([expect.objectContaining({ name: 'qemu-s390x', emulatorFound: false })]);
  });
});

describe('qus lint --line', () => {
  it('accepts a valid line', async () => {
    const result = await runQus([
      'lint',
      '--line',
      ':qemu-arm:M::\\x7fELF:\\xff\\xff\\xff\\xff:/usr/bin/qemu-arm-static:F',
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "ok: qemu-arm (type M, offset 0, 4-byte magic, interpreter /usr/bin/qemu-arm-static, flags F)
      "
    `);
  });

  it('rejects a mask of the wrong length', async () => {
    const result = await runQus(['lint', '--line', ':qemu-arm:M::\\x7fELF:\\xff\\xff:/usr/bin/qemu-arm-static:F']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: invalid register line ":qemu-arm:M::\\x7fELF:\\xff\\xff:/usr/bin/qemu-arm-static:F": mask has 2 bytes for a 4-byte magic; give exactly one mask byte per magic byte, or no mask (the kernel returns EINVAL)
      "
    `);
  });

  it.each([
    ['/nonexistent.conf', '/nonexistent.conf: file not found; check the path\n'],
    ['/tmp', '/tmp: is a directory, not a file; name a file\n'],
  ])('names the read error of %s in words', async (path, message) => {
    const result = await runQus(['lint', path]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(message);
  });

  it('says a short line is too short', async () => {
    const result = await runQus(['lint', '--line', ':a:M::']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'qus: error: invalid register line ":a:M::": register line of 6 bytes is too short (the minimum is 11 bytes); give every field: :name:type:offset:magic:mask:interpreter:flags (the kernel returns EINVAL)\n',
    );
  });

  it('says a long line is too long', async () => {
    const line = `:a:M::${'x'.repeat(2000)}::/b:`;

    const result = await runQus(['lint', '--line', line]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `qus: error: invalid register line "${line}": register line of 2011 bytes is too long (the maximum is 1920 bytes); shorten the interpreter path or the magic (the kernel returns EINVAL)\n`,
    );
  });

  it('explains the delimiter for an invalid type', async () => {
    const result = await runQus(['lint', '--line', '-qemu-arm:M::\\x7fELF::/usr/bin/qemu-arm-static:']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'qus: error: invalid register line "-qemu-arm:M::\\x7fELF::/usr/bin/qemu-arm-static:": type "a" is invalid; use "M" (magic) or "E" (extension), followed by the delimiter (the kernel returns EINVAL); the first character of a register line is its delimiter, so this line uses "-": start it with ":" as in :name:type:offset:magic:mask:interpreter:flags\n',
    );
  });

  it('reports a relative interpreter', async () => {
    const result = await runQus(['lint', '--line', ':qemu-arm:M::\\x7fELF::qemu-arm:']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'qus: error: invalid register line ":qemu-arm:M::\\x7fELF::qemu-arm:": interpreter "qemu-arm" is a relative path, which the kernel resolves against each caller\'s working directory; give an absolute path\n',
    );
  });
});

describe('qus inspect errors', () => {
  it('rejects a file that is not ELF with exit 1', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'qus-inspect-'));
    const script = join(directory, 'hello.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');

    const result = await runQus(['inspect', script]);

    rmSync(directory, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr.replace(directory, '<dir>')).toMatchInlineSnapshot(`
      "qus: error: <dir>/hello.sh: not an ELF file (it starts with 23212f62); name a compiled program, not a script or archive
      "
    `);
  });

  it('rejects an empty file with exit 1', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'qus-inspect-'));
    const empty = join(directory, 'empty');
    writeFileSync(empty, '');

    const result = await runQus(['inspect', empty]);

    rmSync(directory, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `qus: error: ${empty}: is an empty file (0 bytes), not a program; name a compiled program\n`,
    );
  });

  it('rejects a missing file with exit 1', async () => {
    const result = await runQus(['inspect', '/nonexistent/busybox']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: /nonexistent/busybox: file not found; check the path
      "
    `);
  });

  it.each([
    ['/nonexistent/tree', 'qus: error: /nonexistent/tree: directory not found; check the path\n'],
    [
      '/etc/passwd',
      'qus: error: /etc/passwd: is a file, not a directory; name a directory, or leave out --recursive to inspect one file\n',
    ],
    ['/etc/passwd/tree', 'qus: error: /etc/passwd/tree: a part of the path is not a directory; check the path\n'],
  ])('names the read error of --recursive %s in words', async (path, message) => {
    const result = await runQus(['inspect', '--recursive', path]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(message);
  });

  it('needs a file or a folder', async () => {
    const result = await runQus(['inspect']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "qus: error: "qus inspect" needs a FILE or --recursive DIR; see "qus inspect --help"
      "
    `);
  });

  it.skipIf(!fixtures)('counts non-ELF files in a recursive scan', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'qus-inspect-'));
    copyFileSync(busyboxPath('arm64'), join(directory, 'busybox'));
    writeFileSync(join(directory, 'notes.txt'), 'not a program\n');

    const result = await runQus(['inspect', '--json', '--recursive', directory]);

    rmSync(directory, { recursive: true, force: true });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { files: { target: string }[]; counts: Record<string, number> };
    expect(report.counts).toEqual({ files: 2, elf: 1, notElf: 1, unreadable: 0 });
    expect(report.files.map((file) => file.target)).toEqual(['aarch64']);
  });
});
