import { expect, it } from 'vitest';
import { qemuStaticDir } from '../support/fixtures.js';
import { describeKernel } from '../support/namespace.js';
import { runProcfsScript } from './support.js';

const prelude = `
  const layout = { kind: 'directory', directory: ${JSON.stringify(qemuStaticDir())}, suffix: '-static' };
  const records = (names, flags = 'F') => core.register(names, { layout, flags })._unsafeUnwrap();
  const entryText = (name) => fs.readFileSync(process.env.BINFMT_DIR + '/' + name, 'utf8');
  const moved = (record, interpreter) => ({ ...record, interpreter });
  const outcomes = async (recordList, options) => (await backend.apply(recordList, options))._unsafeUnwrap().outcomes;
`;

describeKernel('procfs backend idempotence', () => {
  it('reports unchanged, then rejects and replaces a changed entry', async () => {
    const out = await runProcfsScript(`${prelude}
      const [aarch64] = records(['arm64']);
      const other = moved(aarch64, ${JSON.stringify(`${qemuStaticDir()}/qemu-arm-static`)});
      out.first = await outcomes([aarch64]);
      out.second = await outcomes([aarch64]);
      const clash = (await backend.apply([other]))._unsafeUnwrap().outcomes[0];
      out.clash = { status: clash.status, message: backend.describeError(clash.error) };
      out.afterClash = entryText('qemu-aarch64');
      out.replaced = await outcomes([other], { replace: true });
      out.afterReplace = entryText('qemu-aarch64');
      out.dryRun = await outcomes([aarch64], { replace: true, dryRun: true });
      out.afterDryRun = entryText('qemu-aarch64');
    `);

    const arm = `${qemuStaticDir()}/qemu-arm-static`;
    const aarch64 = `${qemuStaticDir()}/qemu-aarch64-static`;
    expect(out['first']).toEqual([{ name: 'qemu-aarch64', status: 'registered' }]);
    expect(out['second']).toEqual([{ name: 'qemu-aarch64', status: 'unchanged' }]);
    expect(out['clash']).toEqual({
      status: 'failed',
      message: [
        'entry "qemu-aarch64" already exists with different contents:',
        `  existing:  :qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:${aarch64}:F`,
        `  requested: :qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:${arm}:F`,
        'pass replace: true to replace it, or remove it first',
      ].join('\n'),
    });
    expect(out['afterClash']).toContain(`interpreter ${aarch64}\n`);
    expect(out['replaced']).toEqual([{ name: 'qemu-aarch64', status: 'replaced' }]);
    expect(out['afterReplace']).toContain(`interpreter ${arm}\n`);
    expect(out['dryRun']).toEqual([{ name: 'qemu-aarch64', status: 'replaced' }]);
    expect(out['afterDryRun']).toBe(out['afterReplace']);
  });

  it('rolls back a replacement byte for byte', async () => {
    const out = await runProcfsScript(`${prelude}
      const [aarch64, s390x] = records(['arm64', 's390x']);
      await outcomes([aarch64, s390x]);
      await backend.disable('s390x');
      const before = { aarch64: entryText('qemu-aarch64'), s390x: entryText('qemu-s390x') };
      const missing = { ...records(['riscv64'])[0], interpreter: '/nonexistent/qemu-riscv64-static' };
      const report = (await backend.apply(
        [records(['mips64el'])[0], moved(aarch64, '/bin/true'), moved(s390x, '/bin/false'), missing, records(['ppc64el'])[0]],
        { replace: true, onError: 'rollback' },
      ))._unsafeUnwrap();
      out.outcomes = report.outcomes.map((outcome) => [outcome.name, outcome.status]);
      out.rolledBack = report.rolledBack;
      out.rollbackFailures = report.rollbackFailures;
      out.same = entryText('qemu-aarch64') === before.aarch64 && entryText('qemu-s390x') === before.s390x;
      out.s390x = entryText('qemu-s390x').split('\\n')[0];
      out.names = (await backend.read())._unsafeUnwrap().entries.map((entry) => entry.record.name).sort();
    `);

    expect(out['outcomes']).toEqual([
      ['qemu-mips64el', 'rolled-back'],
      ['qemu-aarch64', 'rolled-back'],
      ['qemu-s390x', 'rolled-back'],
      ['qemu-riscv64', 'failed'],
      ['qemu-ppc64le', 'skipped'],
    ]);
    expect(out['rolledBack']).toBe(true);
    expect(out['rollbackFailures']).toEqual([]);
    expect(out['same']).toBe(true);
    expect(out['s390x']).toBe('disabled');
    expect(out['names']).toEqual(['qemu-aarch64', 'qemu-s390x']);
  });

  it('stops or continues per onError', async () => {
    const out = await runProcfsScript(`${prelude}
      const missing = { ...records(['riscv64'])[0], interpreter: '/nonexistent/qemu-riscv64-static' };
      const [arm, mipsel] = records(['armhf', 'mipsel']);
      const stop = await outcomes([arm, missing, mipsel]);
      out.stop = stop.map((outcome) => [outcome.name, outcome.status]);
      const go = await outcomes([arm, missing, mipsel], { onError: 'continue' });
      out.go = go.map((outcome) => [outcome.name, outcome.status]);
      out.error = backend.describeError(go[1].error);
    `);

    expect(out['stop']).toEqual([
      ['qemu-arm', 'registered'],
      ['qemu-riscv64', 'failed'],
      ['qemu-mipsel', 'skipped'],
    ]);
    expect(out['go']).toEqual([
      ['qemu-arm', 'unchanged'],
      ['qemu-riscv64', 'failed'],
      ['qemu-mipsel', 'registered'],
    ]);
    expect(out['error']).toBe(
      'interpreter /nonexistent/qemu-riscv64-static of entry "qemu-riscv64" was not found (ENOENT); with flag F the kernel opens it when the entry is registered: install the emulator at that path or fix the path',
    );
  });
});
