import { expect, it } from 'vitest';
import { qemuStaticDir } from '../support/fixtures.js';
import { describeKernel, runInNamespace } from '../support/namespace.js';
import { runProcfsScript } from './support.js';

// Entries other tools make: Debian's python3 extension entry and WSL's interop entry.
const foreignSetup = String.raw`
  printf ':python3.11:E::py::/usr/bin/python3.11:' > "$BINFMT_DIR/register"
  printf ':WSLInterop:M::MZ::/init:P' > "$BINFMT_DIR/register"
`;

describeKernel('procfs backend and foreign entries', () => {
  it('reads entries other tools registered', async () => {
    const out = await runProcfsScript(`
      execFileSync('sh', ['-c', ${JSON.stringify(foreignSetup)}]);
      const state = (await backend.read())._unsafeUnwrap();
      out.entries = state.entries.map((entry) => core.formatEntryStatus(entry));
      out.enabled = state.enabled;
    `);

    expect(out['entries']).toEqual([
      'enabled\ninterpreter /usr/bin/python3.11\nflags: \nextension .py\n',
      'enabled\ninterpreter /init\nflags: P\noffset 0\nmagic 4d5a\n',
    ]);
    expect(out['enabled']).toBe(true);
  });

  it('leaves foreign entries alone unless they are named', async () => {
    const out = await runProcfsScript(`
      execFileSync('sh', ['-c', ${JSON.stringify(foreignSetup)}]);
      const dir = process.env.BINFMT_DIR;
      const snapshot = () => fs.readFileSync(dir + '/python3.11', 'utf8') + fs.readFileSync(dir + '/WSLInterop', 'utf8');
      const before = snapshot();
      const layout = { kind: 'directory', directory: ${JSON.stringify(qemuStaticDir())}, suffix: '-static' };
      const records = core.register(['arm64', 'armhf', 'mipsel', 's390x'], { layout, flags: 'F' })._unsafeUnwrap();
      const steps = {
        apply: () => backend.apply(records),
        replace: () => backend.apply([{ ...records[0], interpreter: '/bin/true' }], { replace: true }),
        disable: () => backend.disable(['qemu-*', 'arm64']),
        enable: () => backend.enable('qemu-*'),
        removeTarget: () => backend.removeMatching('armhf'),
        remove: () => backend.remove(['qemu-mipsel', 'python3', 'status', 'register', '../status']),
        removeGlob: () => backend.removeMatching('qemu-*'),
      };
      out.steps = {};
      for (const [name, step] of Object.entries(steps)) {
        const result = await step();
        const value = result._unsafeUnwrap();
        out.steps[name] = { kept: snapshot() === before, report: value.outcomes ? undefined : value };
      }
      out.left = fs.readdirSync(dir).sort();
      out.status = fs.readFileSync(dir + '/status', 'utf8');
      out.removeAll = (await backend.removeAll({ confirm: true }))._unsafeUnwrap();
      out.afterAll = fs.readdirSync(dir).sort();
    `);

    const steps = out['steps'] as Record<string, { kept: boolean; report?: unknown }>;
    for (const [name, step] of Object.entries(steps)) expect(step.kept, name).toBe(true);
    // Oldest first: the replaced qemu-aarch64 is the newest entry.
    expect(steps['disable']?.report).toEqual({
      changed: ['qemu-arm', 'qemu-mipsel', 'qemu-s390x', 'qemu-aarch64'],
      unchanged: [],
      missing: [],
      failed: [],
    });
    expect(steps['removeTarget']?.report).toEqual({ removed: ['qemu-arm'], missing: [], failed: [] });
    expect(steps['remove']?.report).toEqual({
      removed: ['qemu-mipsel'],
      missing: ['python3', 'status', 'register', '../status'],
      failed: [],
    });
    expect(steps['removeGlob']?.report).toEqual({ removed: ['qemu-s390x', 'qemu-aarch64'], missing: [], failed: [] });
    expect(out['left']).toEqual(['WSLInterop', 'python3.11', 'register', 'status']);
    expect(out['status']).toBe('enabled\n');
    expect(out['removeAll']).toEqual({ removed: ['python3.11', 'WSLInterop'], missing: [], failed: [] });
    expect(out['afterAll']).toEqual(['register', 'status']);
  });

  it('disables and enables the whole instance', async () => {
    const out = await runProcfsScript(`
      (await backend.setInstanceEnabled(false))._unsafeUnwrap();
      out.disabled = (await backend.read())._unsafeUnwrap().enabled;
      (await backend.setInstanceEnabled(true))._unsafeUnwrap();
      out.enabled = (await backend.read())._unsafeUnwrap().enabled;
    `);

    expect(out['disabled']).toBe(false);
    expect(out['enabled']).toBe(true);
  });

  it('keeps the machine instance out of reach', async () => {
    const result = await runInNamespace('test "$BINFMT_DIR" != /proc/sys/fs/binfmt_misc && echo private');

    expect(result.stdout).toBe('private\n');
  });
});
