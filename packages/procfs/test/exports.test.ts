import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as procfs from '@qus/procfs';
import { afterEach, describe, expect, it } from 'vitest';

const folders: string[] = [];

function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'qus-procfs-'));
  folders.push(folder);
  return folder;
}

describe('@qus/procfs', () => {
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('exports these names', () => {
    expect(Object.keys(procfs).sort()).toMatchInlineSnapshot(`
      [
        "BINFMTFS_MAGIC",
        "DEFAULT_ROOT",
        "createProcfsBackend",
        "describeNativeWarning",
        "describeOverlapWarning",
        "describeProcfsError",
        "detectInstance",
        "selectEntries",
      ]
    `);
  });

  it('reports a plain folder as not mounted', async () => {
    const folder = temporaryFolder();

    const status = await procfs.createProcfsBackend({ root: folder }).detect();

    expect(status._unsafeUnwrap()).toEqual({ state: 'not-mounted', root: folder });
  });

  it('fails on a plain folder without mount', async () => {
    const folder = temporaryFolder();
    const backend = procfs.createProcfsBackend({ root: folder });

    const result = await backend.read();

    expect(backend.describeError(result._unsafeUnwrapErr())).toBe(
      `binfmt_misc is not mounted at ${folder}: pass mount: true, or as root run: mount -t binfmt_misc binfmt_misc ${folder}`,
    );
  });

  it('rejects removeAll without confirmation', async () => {
    const backend = procfs.createProcfsBackend({ root: '/nonexistent/binfmt' });

    const result = await backend.removeAll({ confirm: false } as unknown as { confirm: true });

    expect(result._unsafeUnwrapErr()).toEqual({ kind: 'confirmation-required', root: '/nonexistent/binfmt' });
  });
});
