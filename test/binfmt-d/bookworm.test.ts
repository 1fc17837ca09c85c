import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDebianImportFile, readSystemdConfig } from '@qus/binfmt-d';
import { type BinfmtRecord, flagsEqual, matchFile, readElfHeader, recordsEqual } from '@qus/core';
import { expect, it } from 'vitest';
import { busyboxPath, DEBIAN_ARCHITECTURES, EXPECTED_UNAME, fixturesDir } from '../support/fixtures.js';
import { describeKernel } from '../support/namespace.js';

const qemuRoot = (): string => join(fixturesDir(), 'qemu');

async function readBookworm(): Promise<{ systemd: BinfmtRecord[]; debian: BinfmtRecord[] }> {
  const config = await readSystemdConfig({ roots: ['/usr/lib/binfmt.d'], root: qemuRoot() });
  expect(config.errors).toEqual([]);
  const importDirectory = join(qemuRoot(), 'usr/share/binfmts');
  const debian: BinfmtRecord[] = [];
  for (const name of (await readdir(importDirectory)).sort()) {
    const entry = parseDebianImportFile(await readFile(join(importDirectory, name), 'utf8'), name)._unsafeUnwrap();
    expect(entry.package).toBe('qemu-user-static');
    debian.push(entry.record);
  }
  return { systemd: [...config.records], debian };
}

// Only fixture files are read here, but describeKernel also skips when the fixtures are missing.
describeKernel('Debian bookworm qemu-user-static files', () => {
  it('read as 29 entries in both formats, equal but for O', async () => {
    const { systemd, debian } = await readBookworm();

    expect(systemd).toHaveLength(29);
    expect(debian.map((record) => record.name)).toEqual(systemd.map((record) => record.name));
    for (const [index, record] of systemd.entries()) {
      const other = debian[index] as BinfmtRecord;
      // The binfmt.d lines carry OPF, and the import files "credentials no", which gives PF.
      expect(record.flags, record.name).toEqual({
        preserveArgv0: true,
        openBinary: true,
        credentials: false,
        fixBinary: true,
      });
      expect(flagsEqual(other.flags, { ...record.flags, openBinary: false }), record.name).toBe(true);
      expect(recordsEqual(other, { ...record, flags: other.flags }), record.name).toBe(true);
    }
  });

  it.each(DEBIAN_ARCHITECTURES)('match the real %s busybox', async (architecture) => {
    const { systemd, debian } = await readBookworm();
    const header = (await readElfHeader(busyboxPath(architecture)))._unsafeUnwrap();
    // Debian builds no x86 emulator entries on amd64, so i386 has none in these files.
    const expected = architecture === 'i386' ? null : `qemu-${EXPECTED_UNAME[architecture].target}`;

    for (const records of [systemd, debian]) {
      const result = matchFile(
        { bytes: header.bytes },
        records.map((record) => ({ record, enabled: true })),
      );
      const matching = records.filter(
        (record) => matchFile({ bytes: header.bytes }, [{ record, enabled: true }]).winner !== null,
      );

      expect(result.winner?.record.name ?? null).toBe(expected);
      expect(matching.length).toBe(expected === null ? 0 : 1);
    }
  });
});
