import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MagicRecord, matchFile, parseRegisterString, readElfHeader, recordForTarget, targets } from '@qus/core';
import { describe, expect, it } from 'vitest';
import { busyboxPath, fixturesDir, fixturesPresent } from '../../../test/support/fixtures.js';
import { BUSYBOX_ARCHITECTURES, BUSYBOX_TARGET } from './support/headers.js';

/**
 * `describe` for tests that read the fetched Debian packages: skipped with a reason
 * outside CI when they are missing, a failing test in CI.
 */
function describeWithFixtures(name: string, body: () => void): void {
  if (fixturesPresent()) {
    describe(name, body);
  } else if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
    describe(name, () => {
      it('has its fixtures', () => {
        throw new Error(`missing the fixtures in ${fixturesDir()} (run: pnpm fixtures)`);
      });
    });
  } else {
    describe.skip(`${name} (skipped, missing the fixtures in ${fixturesDir()}; run: pnpm fixtures)`, body);
  }
}

function debianLines(): { file: string; line: string }[] {
  const folder = join(fixturesDir(), 'qemu', 'usr', 'lib', 'binfmt.d');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.conf'))
    .sort()
    .flatMap((file) =>
      readFileSync(join(folder, file), 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith(';'))
        .map((line) => ({ file, line })),
    );
}

describeWithFixtures("Debian bookworm's binfmt.d files", () => {
  it('parses every line', () => {
    const lines = debianLines();

    const failures = lines.filter(({ line }) => parseRegisterString(line).isErr());

    expect(lines).toHaveLength(29);
    expect(failures).toEqual([]);
  });

  it('uses OPF and the binfmt-P interpreters', () => {
    const records = debianLines().map(({ line }) => parseRegisterString(line)._unsafeUnwrap().record);

    const odd = records.filter(
      (record) =>
        record.interpreter !== `/usr/libexec/qemu-binfmt/${record.name.slice('qemu-'.length)}-binfmt-P` ||
        !record.flags.openBinary ||
        !record.flags.preserveArgv0 ||
        !record.flags.fixBinary ||
        record.flags.credentials,
    );

    expect(odd.map((record) => record.name)).toEqual([]);
  });

  it.each(BUSYBOX_ARCHITECTURES)('runs busybox %s with the same target as ours', async (architecture) => {
    const header = (await readElfHeader(busyboxPath(architecture)))._unsafeUnwrap();
    const debian = debianLines().map(({ line }) => ({
      record: parseRegisterString(line)._unsafeUnwrap().record,
      enabled: true,
    }));
    const ours = targets.map((target) => ({ record: recordForTarget(target) as MagicRecord, enabled: true }));

    const debianWinner = matchFile({ bytes: header.bytes }, debian).winner?.record.name ?? null;
    const ourWinner = matchFile({ bytes: header.bytes }, ours).winner?.record.name ?? null;

    expect(ourWinner).toBe(`qemu-${BUSYBOX_TARGET[architecture]}`);
    // Debian's qemu-user-static for amd64 ships no x86 entries.
    expect(debianWinner).toBe(architecture === 'i386' ? null : ourWinner);
  });
});
