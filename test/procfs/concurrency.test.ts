import { expect, it } from 'vitest';
import { describeKernel } from '../support/namespace.js';
import { runProcfsScript } from './support.js';

describeKernel('procfs backend under concurrency', () => {
  it('lets two processes register the same set at once', async () => {
    const out = await runProcfsScript(`
      // The child module sits next to this one, so that its @qus imports resolve too.
      const child = new URL('./procfs-child-' + process.pid + '.mjs', import.meta.url);
      fs.writeFileSync(child, [
        "import * as core from '@qus/core';",
        "import * as procfs from '@qus/procfs';",
        "const backend = procfs.createProcfsBackend({ root: process.env.BINFMT_DIR });",
        "const names = core.targets.map((target) => target.name);",
        "const records = core.register(names, { layout: { kind: 'directory', directory: '/usr/lib/qus-none' } })._unsafeUnwrap();",
        "const report = (await backend.apply(records))._unsafeUnwrap();",
        "process.stdout.write(JSON.stringify(report.outcomes.map((outcome) => outcome.status)));",
      ].join('\\n'));
      const runChild = () => new Promise((resolve) => {
        const childProcess = spawn(process.execPath, [child.pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
        let text = '';
        childProcess.stdout.on('data', (chunk) => { text += chunk; });
        childProcess.on('close', (code) => resolve({ code, statuses: JSON.parse(text || '[]') }));
      });
      try {
        const results = await Promise.all([runChild(), runChild()]);
        out.codes = results.map((result) => result.code);
        out.statuses = results.map((result) => [...new Set(result.statuses)].sort());
        out.registeredTotal = results.flatMap((result) => result.statuses).filter((status) => status === 'registered').length;
      } finally {
        fs.rmSync(child, { force: true });
      }
      const state = (await backend.read())._unsafeUnwrap();
      const expected = core.register(core.targets.map((target) => target.name), { layout: { kind: 'directory', directory: '/usr/lib/qus-none' } })._unsafeUnwrap();
      out.count = state.entries.length;
      out.allEqual = expected.every((record) => state.entries.some((entry) => core.recordsEqual(entry.record, record)));
    `);

    expect(out['codes']).toEqual([0, 0]);
    for (const statuses of out['statuses'] as string[][]) {
      expect(statuses.every((status) => status === 'registered' || status === 'unchanged')).toBe(true);
    }
    expect(out['registeredTotal']).toBe(34);
    expect(out['count']).toBe(34);
    expect(out['allEqual']).toBe(true);
  });
});
