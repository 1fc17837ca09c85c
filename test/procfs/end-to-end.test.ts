import { expect, it } from 'vitest';
import { busyboxPath, DEBIAN_ARCHITECTURES, EXPECTED_UNAME, qemuStaticDir } from '../support/fixtures.js';
import { describeKernel } from '../support/namespace.js';
import { runProcfsScript } from './support.js';

// i386 runs natively on an x86-64 host, so it needs no entry.
const foreign = DEBIAN_ARCHITECTURES.filter((architecture) => architecture !== 'i386');

describeKernel('procfs backend end to end', () => {
  it('runs every foreign busybox through the registered QEMU', async () => {
    const busyboxes = Object.fromEntries(foreign.map((architecture) => [architecture, busyboxPath(architecture)]));

    const out = await runProcfsScript(`
      const records = core.register(${JSON.stringify(foreign)}, {
        layout: { kind: 'directory', directory: ${JSON.stringify(qemuStaticDir())}, suffix: '-static' },
        flags: 'F',
      })._unsafeUnwrap();
      const report = (await backend.apply(records))._unsafeUnwrap();
      out.outcomes = report.outcomes;
      out.warnings = report.warnings;
      out.flags = fs.readFileSync(process.env.BINFMT_DIR + '/qemu-aarch64', 'utf8').split('\\n')[2];
      out.runs = {};
      for (const [architecture, path] of Object.entries(${JSON.stringify(busyboxes)})) {
        const run = (args) => spawnSync(path, args, { encoding: 'utf8' });
        out.runs[architecture] = { uname: run(['uname', '-m']).stdout, echo: run(['echo', 'hi']).stdout };
      }
    `);

    expect(out['outcomes']).toEqual(
      ['qemu-aarch64', 'qemu-arm', 'qemu-mips64el', 'qemu-mipsel', 'qemu-ppc64le', 'qemu-s390x'].map((name) => ({
        name,
        status: 'registered',
      })),
    );
    expect(out['warnings']).toEqual([]);
    expect(out['flags']).toBe('flags: F');
    for (const architecture of foreign) {
      expect(out['runs'], architecture).toHaveProperty(
        [architecture, 'uname'],
        `${EXPECTED_UNAME[architecture].uname}\n`,
      );
      expect(out['runs'], architecture).toHaveProperty([architecture, 'echo'], 'hi\n');
    }
  });

  it('runs busybox as the applet in argv[0] only with P', async () => {
    const out = await runProcfsScript(`
      const layout = { kind: 'directory', directory: ${JSON.stringify(qemuStaticDir())}, suffix: '-static' };
      const run = () => spawnSync(${JSON.stringify(busyboxPath('arm64'))}, ['hi'], { encoding: 'utf8', argv0: 'echo' });
      const plain = core.register(['arm64'], { layout, flags: 'F' })._unsafeUnwrap();
      out.plainApply = (await backend.apply(plain))._unsafeUnwrap().outcomes;
      const withoutP = run();
      out.withoutP = { stdout: withoutP.stdout, stderr: withoutP.stderr };
      const preserve = core.register(['arm64'], { layout, flags: 'FP' })._unsafeUnwrap();
      out.preserveApply = (await backend.apply(preserve, { replace: true }))._unsafeUnwrap().outcomes;
      out.withP = run().stdout;
    `);

    expect(out['plainApply']).toEqual([{ name: 'qemu-aarch64', status: 'registered' }]);
    expect(out['withoutP']).toEqual({ stdout: '', stderr: 'hi: applet not found\n' });
    expect(out['preserveApply']).toEqual([{ name: 'qemu-aarch64', status: 'replaced' }]);
    expect(out['withP']).toBe('hi\n');
  });
});
