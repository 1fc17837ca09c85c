import { expect, it } from 'vitest';
import { qemuStaticDir } from '../support/fixtures.js';
import { describeKernel } from '../support/namespace.js';
import { runProcfsScript } from './support.js';

const prelude = `
  const dir = process.env.BINFMT_DIR;
  const listing = () => fs.readdirSync(dir).sort().join(',');
  const aarch64 = core.register(['arm64'], {
    layout: { kind: 'directory', directory: ${JSON.stringify(qemuStaticDir())}, suffix: '-static' },
    flags: 'F',
  })._unsafeUnwrap()[0];
  const failures = async (target, records, options) => {
    const report = (await target.apply(records, options))._unsafeUnwrap();
    return report.outcomes.map((outcome) => outcome.status === 'failed' ? [outcome.error.kind, target.describeError(outcome.error)] : [outcome.status]);
  };
`;

describeKernel('procfs backend errors', () => {
  it('turns kernel rejections into typed errors', async () => {
    const out = await runProcfsScript(`${prelude}
      const folder = fs.mkdtempSync('/tmp/qus-not-a-program-');
      out.kernel = await failures(backend, [
        { ...aarch64, interpreter: folder },
        { ...aarch64, name: 'qemu-missing', interpreter: '/nonexistent/qemu' },
      ], { onError: 'continue' });
      out.listing = listing();
      fs.rmdirSync(folder);
      out.kernel[0][1] = out.kernel[0][1].replace(folder, 'FOLDER');
    `);

    expect(out['kernel']).toEqual([
      [
        'interpreter-not-executable',
        'interpreter FOLDER of entry "qemu-aarch64" cannot be executed (EACCES): it is a directory, lacks execute permission or is on a noexec mount; point the entry to an executable file',
      ],
      [
        'interpreter-not-found',
        'interpreter /nonexistent/qemu of entry "qemu-missing" was not found (ENOENT); with flag F the kernel opens it when the entry is registered: install the emulator at that path or fix the path',
      ],
    ]);
    expect(out['listing']).toBe('register,status');
  });

  it('rejects invalid records before writing anything', async () => {
    const out = await runProcfsScript(`${prelude}
      out.local = await failures(backend, [
        { ...aarch64, name: 'qemu/aarch64' },
        { ...aarch64, name: 'status' },
        { ...aarch64, name: 'x'.repeat(256) },
        { ...aarch64, interpreter: 'qemu-aarch64-static' },
        { ...aarch64, offset: 250 },
      ], { onError: 'continue' });
      out.old = await failures(procfs.createProcfsBackend({ root: dir, kernelRelease: '4.4.0-210-generic' }), [aarch64]);
      out.listing = listing();
    `);

    expect(out['local']).toEqual([
      [
        'invalid-record',
        'record "qemu/aarch64" is invalid, nothing was written:\n  - name "qemu/aarch64" contains "/"; choose a name without "/" (the kernel returns EINVAL)',
      ],
      [
        'invalid-record',
        'record "status" is invalid, nothing was written:\n  - name "status" is reserved by binfmt_misc; choose another name (the kernel returns EEXIST)',
      ],
      [
        'invalid-record',
        `record "${'x'.repeat(256)}" is invalid, nothing was written:\n  - name "${'x'.repeat(256)}" is longer than 255 bytes; shorten it (the kernel returns ENAMETOOLONG)`,
      ],
      [
        'invalid-record',
        'record "qemu-aarch64" is invalid, nothing was written:\n  - interpreter "qemu-aarch64-static" is a relative path, which the kernel resolves against each caller\'s working directory; give an absolute path',
      ],
      [
        'invalid-record',
        'record "qemu-aarch64" is invalid, nothing was written:\n  - offset 250 + 20 bytes ends past the kernel\'s 256-byte buffer; lower the offset or shorten the magic (the kernel returns EINVAL)',
      ],
    ]);
    expect(out['old']).toEqual([
      [
        'kernel-feature',
        'entry "qemu-aarch64" uses flag F, which needs Linux 4.8 or later (this kernel is "4.4.0-210-generic"); drop F',
      ],
    ]);
    expect(out['listing']).toBe('register,status');
  });

  it('mounts an instance only when allowed', async () => {
    const out = await runProcfsScript(`
      const root = fs.mkdtempSync('/tmp/qus-mount-');
      const plain = procfs.createProcfsBackend({ root });
      out.before = (await plain.detect())._unsafeUnwrap().state;
      out.refused = plain.describeError((await plain.read())._unsafeUnwrapErr());
      const mounting = procfs.createProcfsBackend({ root, mount: true });
      out.read = (await mounting.read())._unsafeUnwrap();
      out.after = (await plain.detect())._unsafeUnwrap().state;
      execFileSync('umount', [root]);
      fs.rmdirSync(root);
    `);

    expect(out['before']).toBe('not-mounted');
    expect(out['refused']).toMatch(
      /^binfmt_misc is not mounted at (\/tmp\/qus-mount-\w+): pass mount: true, or as root run: mount -t binfmt_misc binfmt_misc \1$/,
    );
    expect(out['read']).toEqual({ entries: [], enabled: true });
    expect(out['after']).toBe('mounted');
  });

  it('explains a mount without the right to mount', async () => {
    const out = await runProcfsScript(
      `
      const root = fs.mkdtempSync('/tmp/qus-mount-');
      const result = await procfs.createProcfsBackend({ root, mount: true }).read();
      out.error = result._unsafeUnwrapErr();
      out.message = procfs.describeProcfsError(out.error);
      fs.rmdirSync(root);
    `,
      { wrapper: 'unshare --user' },
    );

    expect(out['error']).toMatchObject({ kind: 'permission', operation: 'mount', code: 'EPERM' });
    expect(out['message']).toMatch(
      /^permission denied \(EPERM\) to mount \/tmp\/qus-mount-\w+: run as root, or inside a user namespace with its own binfmt_misc instance \(Linux 6\.7 or later: unshare --user --map-root-user --mount, then mount binfmt_misc there\)$/,
    );
  });
});
