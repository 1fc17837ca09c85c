import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeBinfmtDError, readSystemdConfig, SYSTEMD_BINFMT_DIRECTORIES } from '@qus/binfmt-d';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeKernel } from '../support/namespace.js';
import { temporaryFolder } from './support.js';

let folder: { path: string; remove: () => Promise<void> };

beforeEach(async () => {
  folder = await temporaryFolder();
  for (const directory of SYSTEMD_BINFMT_DIRECTORIES) await mkdir(join(folder.path, directory), { recursive: true });
});
afterEach(async () => {
  await chmod(join(folder.path, 'etc/binfmt.d'), 0o755).catch(() => undefined);
  await chmod(join(folder.path, 'usr/lib/binfmt.d'), 0o755).catch(() => undefined);
  await folder.remove();
});

async function put(directory: string, name: string, text: string): Promise<void> {
  await writeFile(join(folder.path, directory, name), text);
}

describe('readSystemdConfig', () => {
  it('applies precedence, masking and name order', async () => {
    await put('/usr/lib/binfmt.d', 'b.conf', ':vendor-b:E::b::/bin/true:\n');
    await put('/etc/binfmt.d', 'b.conf', ':admin-b:E::b::/bin/true:\n');
    await put('/usr/lib/binfmt.d', 'a.conf', ':a:E::a::/bin/true:\n');
    await put('/run/binfmt.d', 'c.conf', ':c:E::c::/bin/true:\n');
    await put('/usr/lib/binfmt.d', 'masked.conf', ':masked:E::m::/bin/true:\n');
    await symlink('/dev/null', join(folder.path, 'etc/binfmt.d/masked.conf'));
    await put('/usr/local/lib/binfmt.d', '.hidden.conf', ':hidden:E::h::/bin/true:\n');
    await put('/usr/local/lib/binfmt.d', 'other.txt', ':txt:E::t::/bin/true:\n');

    const config = await readSystemdConfig({ root: folder.path });

    expect(config.errors).toEqual([]);
    expect(config.records.map((record) => record.name)).toEqual(['a', 'admin-b', 'c']);
    expect(config.files.map((file) => [file.name, file.path.slice(folder.path.length), file.masked])).toEqual([
      ['a.conf', '/usr/lib/binfmt.d/a.conf', false],
      ['b.conf', '/etc/binfmt.d/b.conf', false],
      ['c.conf', '/run/binfmt.d/c.conf', false],
      ['masked.conf', '/etc/binfmt.d/masked.conf', true],
    ]);
  });

  it('moves a re-registered name to the end', async () => {
    await put('/usr/lib/binfmt.d', '10.conf', ':x:E::one::/bin/true:\n:y:E::y::/bin/true:\n');
    await put('/etc/binfmt.d', '20.conf', ':x:E::two::/bin/true:\n');
    await put('/usr/lib/binfmt.d', '30.conf', ':y:E::bad::bin/true\n');

    const config = await readSystemdConfig({ root: folder.path });

    expect(config.records.map((record) => [record.name, record.kind === 'extension' && record.extension])).toEqual([
      ['x', 'two'],
    ]);
    expect(config.errors).toMatchObject([{ kind: 'invalid-line', line: 1 }]);
  });

  it('reports a directory and a symlink loop, and reads the rest', async () => {
    await put('/usr/lib/binfmt.d', 'dir.conf', ':hidden-by-dir:E::d::/bin/true:\n');
    await mkdir(join(folder.path, 'etc/binfmt.d/dir.conf'));
    await symlink('loop-b.conf', join(folder.path, 'usr/lib/binfmt.d/loop-a.conf'));
    await symlink('loop-a.conf', join(folder.path, 'usr/lib/binfmt.d/loop-b.conf'));
    await put('/usr/lib/binfmt.d', 'z.conf', ':z:E::z::/bin/true:\n');

    const config = await readSystemdConfig({ root: folder.path });

    expect(config.records.map((record) => record.name)).toEqual(['z']);
    expect(config.errors.map(describeBinfmtDError)).toEqual([
      `${folder.path}/etc/binfmt.d/dir.conf is a folder, but a configuration file is expected there; delete or rename it`,
      `reading ${folder.path}/usr/lib/binfmt.d/loop-a.conf failed: too many levels of symbolic links; fix or delete the link`,
      `reading ${folder.path}/usr/lib/binfmt.d/loop-b.conf failed: too many levels of symbolic links; fix or delete the link`,
    ]);
  });
});

// Root ignores file modes, so the folder is read by a process that `unshare --user`
// (without a uid mapping) has stripped of the capabilities that override them.
describeKernel(
  'readSystemdConfig without permission',
  () => {
    it('reports an unreadable folder and reads the others', async () => {
      await put('/etc/binfmt.d', 'secret.conf', ':secret:E::s::/bin/true:\n');
      await put('/usr/lib/binfmt.d', 'open.conf', ':open:E::o::/bin/true:\n');
      await chmod(join(folder.path, 'etc/binfmt.d'), 0o000);
      const module = new URL('../../packages/binfmt-d/dist/index.js', import.meta.url).href;
      const script = `import { readSystemdConfig, describeBinfmtDError } from ${JSON.stringify(module)};
        const config = await readSystemdConfig({ root: ${JSON.stringify(folder.path)} });
        console.log(JSON.stringify({ names: config.records.map((r) => r.name), errors: config.errors.map(describeBinfmtDError) }));`;

      const result = spawnSync('unshare', ['--user', 'node', '--input-type=module', '-e', script], {
        encoding: 'utf8',
      });

      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        names: ['open'],
        errors: [
          `listing folder ${folder.path}/etc/binfmt.d failed: permission denied; run as root or fix the permissions`,
        ],
      });
    });

    it('reports a folder it cannot write and leaves it as it was', async () => {
      const directory = join(folder.path, 'usr/lib/binfmt.d');
      await put('/usr/lib/binfmt.d', 'qemu-arm.conf', 'old\n');
      await chmod(directory, 0o555);
      const module = new URL('../../packages/binfmt-d/dist/index.js', import.meta.url).href;
      const core = new URL('../../packages/core/dist/index.js', import.meta.url).href;
      const script = `import { createSystemdBackend, describeBinfmtDError } from ${JSON.stringify(module)};
        import { register } from ${JSON.stringify(core)};
        const records = register(['arm', 'aarch64'], { validation: { strict: false } })._unsafeUnwrap();
        const report = await createSystemdBackend({ directory: ${JSON.stringify(directory)}, force: true }).apply(records, { onError: 'continue' });
        console.log(JSON.stringify(report._unsafeUnwrap().outcomes.map((o) => o.status === 'failed' ? describeBinfmtDError(o.error) : o.status)));`;

      const result = spawnSync('unshare', ['--user', 'node', '--input-type=module', '-e', script], {
        encoding: 'utf8',
      });

      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual([
        `creating a temporary file in ${directory} failed: permission denied; run as root or fix the permissions`,
        `creating a temporary file in ${directory} failed: permission denied; run as root or fix the permissions`,
      ]);
      expect(await readdir(directory)).toEqual(['qemu-arm.conf']);
      expect(await readFile(join(directory, 'qemu-arm.conf'), 'utf8')).toBe('old\n');
    });
  },
  { fixtures: false },
);
