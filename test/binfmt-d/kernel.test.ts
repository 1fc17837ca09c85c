import { chmod, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createDebianBackend,
  createSystemdBackend,
  parseDebianAdminFile,
  readSystemdConfig,
  SYSTEMD_BINFMT_DIRECTORIES,
} from '@qus/binfmt-d';
import {
  type BinfmtRecord,
  createExtensionRecord,
  createMagicRecord,
  formatRegisterString,
  type InstalledEntry,
  matchFile,
  parseEntryStatus,
  recordsEqual,
  register,
} from '@qus/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { busyboxPath, qemuStaticDir, updateBinfmtsPath } from '../support/fixtures.js';
import { describeKernel, runInNamespace, runNodeInNamespace } from '../support/namespace.js';
import { defined, temporaryFolder } from './support.js';

const layout = { kind: 'directory', directory: qemuStaticDir(), suffix: '-static' } as const;

/** Eight targets with the busybox fixtures, each with another flag set, plus an extension and an offset record. */
function kernelRecords(debian: boolean): BinfmtRecord[] {
  const plan: [string, string][] = [
    ['arm', ''],
    ['aarch64', 'F'],
    ['i386', 'P'],
    ['mips64el', debian ? 'OC' : 'O'],
    ['mipsel', 'OC'],
    ['ppc64le', 'PF'],
    ['s390x', 'OCF'],
    ['riscv64', 'POCF'],
  ];
  const records: BinfmtRecord[] = plan.map(
    ([target, flags]) =>
      register([target], { layout, flags, validation: { strict: false } })._unsafeUnwrap()[0] as BinfmtRecord,
  );
  records.push(createExtensionRecord({ name: 'qus-extension', extension: 'qusx', interpreter: '/usr/bin/basename' }));
  records.push(
    createMagicRecord({
      name: 'qus-offset',
      offset: 4,
      magic: new TextEncoder().encode('QUS:'),
      mask: new Uint8Array([0xff, 0xdf, 0xff, 0xff]),
      interpreter: '/usr/bin/dirname',
      flags: 'F',
    }),
  );
  return records;
}

/** Shell that prints every entry of the instance as `==> name` followed by its file. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: `${f##*/}` is shell parameter expansion, not a template slot.
const DUMP_ENTRIES = String.raw`for f in "$BINFMT_DIR"/*; do n=${'${f##*/}'}; case $n in register|status) continue;; esac; printf '==> %s\n' "$n"; cat "$f"; done`;

function parseDump(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const chunk of text.split('==> ').slice(1)) {
    const newline = chunk.indexOf('\n');
    entries.set(chunk.slice(0, newline), chunk.slice(newline + 1));
  }
  return entries;
}

function parseEntries(dump: Map<string, string>): Map<string, InstalledEntry> {
  return new Map([...dump].map(([name, text]) => [name, parseEntryStatus(name, text)._unsafeUnwrap()]));
}

function expectEntriesMatch(entries: Map<string, InstalledEntry>, records: readonly BinfmtRecord[]): void {
  expect([...entries.keys()].sort()).toEqual(records.map((record) => record.name).sort());
  for (const record of records) {
    const entry = defined(entries.get(record.name), record.name);
    expect(entry.enabled, record.name).toBe(true);
    expect(recordsEqual(entry.record, record), record.name).toBe(true);
  }
}

let folder: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  folder = await temporaryFolder();
  await chmod(folder.path, 0o755);
});
afterEach(() => folder.remove());

describeKernel('binfmt-d files applied by the real tools', () => {
  it('systemd-binfmt registers exactly the written records, as procfs does', async () => {
    const records = kernelRecords(false);
    const directory = join(folder.path, 'binfmt.d');
    const applied = await createSystemdBackend({ directory }).apply(records);
    expect(applied._unsafeUnwrap().outcomes.every((outcome) => outcome.status === 'registered')).toBe(true);
    const files = (await readdir(directory)).map((name) => join(directory, name));

    const systemd = await runInNamespace(
      `/lib/systemd/systemd-binfmt ${files.join(' ')}; echo "rc=$?"; ${DUMP_ENTRIES}; echo '==> busybox'; ${busyboxPath('arm64')} uname -m`,
      { mount: 'proc' },
    );
    const lines = records.map((record) => formatRegisterString(record)._unsafeUnwrap());
    const procfs = await runNodeInNamespace(
      `import { parseRegisterString } from '@qus/core';
       import { createProcfsBackend } from '@qus/procfs';
       import { execFileSync } from 'node:child_process';
       const records = ${JSON.stringify(lines)}.map((line) => parseRegisterString(line)._unsafeUnwrap().record);
       const report = await createProcfsBackend({ root: process.env.BINFMT_DIR }).apply(records);
       if (report.isErr()) throw new Error(JSON.stringify(report.error));
       process.stdout.write(execFileSync('sh', ['-c', ${JSON.stringify(DUMP_ENTRIES)}], { encoding: 'utf8' }));`,
      { mount: 'temp' },
    );

    expect(systemd.stderr).toBe('');
    expect(systemd.stdout.startsWith('rc=0\n')).toBe(true);
    const systemdDump = parseDump(systemd.stdout);
    expect(systemdDump.get('busybox')).toBe('aarch64\n');
    systemdDump.delete('busybox');
    expectEntriesMatch(parseEntries(systemdDump), records);
    expect(procfs.stderr).toBe('');
    const procfsDump = parseDump(procfs.stdout);
    expect(procfsDump).toEqual(systemdDump);
  });

  it('systemd-binfmt without arguments follows readSystemdConfig', async () => {
    const tree = join(folder.path, 'tree');
    const put = async (directory: string, name: string, text: string): Promise<void> => {
      await mkdir(join(tree, directory), { recursive: true });
      await writeFile(join(tree, directory, name), text);
    };
    for (const directory of SYSTEMD_BINFMT_DIRECTORIES) await mkdir(join(tree, directory), { recursive: true });
    await put('/usr/lib/binfmt.d', '10-first.conf', ':first:E::qusx::/usr/bin/basename:\n:y:E::y::/bin/true:\n');
    await put(
      '/etc/binfmt.d',
      '20-second.conf',
      '# newer, so it runs .qusx files\n:second:E::qusx::/usr/bin/dirname:\n',
    );
    await put('/usr/lib/binfmt.d', '30-bad.conf', ':y:E::bad::bin/true\n');
    await put('/usr/lib/binfmt.d', 'masked.conf', ':masked:E::m::/bin/true:\n');
    await symlink('/dev/null', join(tree, 'etc/binfmt.d/masked.conf'));
    await put('/run/binfmt.d', 'dup.conf', ':dup:E::one::/bin/true:\n');
    await put('/usr/local/lib/binfmt.d', 'dup.conf', ':dup:E::two::/bin/true:\n');
    await put('/usr/local/lib/binfmt.d', '.hidden.conf', ':hidden:E::h::/bin/true:\n');
    await put('/usr/lib/binfmt.d', 'dir.conf', ':dir:E::d::/bin/true:\n');
    await mkdir(join(tree, 'etc/binfmt.d/dir.conf'));
    await put('/', 'file.qusx', 'not an ELF file\n');
    await chmod(join(tree, 'file.qusx'), 0o755);
    // systemd-binfmt reads the fixed folders, so the tree is mounted over them in the namespace.
    const script = [
      'set -e',
      'mount -t tmpfs tmpfs /run && mkdir /run/binfmt.d',
      'mount -t tmpfs tmpfs /usr/local/lib && mkdir /usr/local/lib/binfmt.d',
      ...SYSTEMD_BINFMT_DIRECTORIES.map((directory) => `mount --bind ${tree}${directory} ${directory}`),
      'set +e',
      '/lib/systemd/systemd-binfmt 2>/dev/null; echo "rc=$?"',
      DUMP_ENTRIES,
      `echo '==> run'; ${tree}/file.qusx`,
    ].join('\n');

    const config = await readSystemdConfig({ root: tree });
    const result = await runInNamespace(script, { mount: 'proc' });

    expect(result.stderr).toBe('');
    expect(result.stdout.startsWith('rc=1\n')).toBe(true);
    const dump = parseDump(result.stdout);
    const output = dump.get('run');
    dump.delete('run');
    expectEntriesMatch(parseEntries(dump), config.records);
    expect(config.records.map((record) => record.name)).toEqual(['first', 'second', 'dup']);
    expect(config.errors.map((error) => error.kind)).toEqual(['invalid-line', 'not-a-file']);
    const entries = config.records.map((record) => ({ record, enabled: true }));
    const { winner } = matchFile({ bytes: new Uint8Array(), path: `${tree}/file.qusx` }, entries);
    expect(winner?.record.interpreter).toBe('/usr/bin/dirname');
    expect(output).toBe(`${tree}\n`);
  });

  it('update-binfmts imports and enables exactly the written records', async () => {
    const records = kernelRecords(true);
    const importDirectory = join(folder.path, 'binfmts');
    const adminDirectory = join(folder.path, 'admin');
    await mkdir(adminDirectory);
    const applied = await createDebianBackend({ importDirectory }).apply(records);
    expect(applied._unsafeUnwrap().outcomes.every((outcome) => outcome.status === 'registered')).toBe(true);
    const tool = `${updateBinfmtsPath()} --importdir ${importDirectory} --admindir ${adminDirectory}`;
    const names = records.map((record) => record.name).join(' ');

    const result = await runInNamespace(
      [
        `for n in ${names}; do ${tool} --import "$n" || echo "import $n failed"; done`,
        `for n in ${names}; do ${tool} --enable "$n" 2>/dev/null || echo "enable $n failed"; done`,
        DUMP_ENTRIES,
      ].join('\n'),
      { mount: 'proc' },
    );

    expect(result.stderr).toBe('');
    expectEntriesMatch(parseEntries(parseDump(result.stdout)), records);
    for (const record of records) {
      const text = await readFile(join(adminDirectory, record.name), 'utf8');
      const admin = parseDebianAdminFile(text, record.name)._unsafeUnwrap();
      expect(recordsEqual(admin.record, record), record.name).toBe(true);
      expect(admin.package, record.name).toBe(record.name);
    }
  });
});
