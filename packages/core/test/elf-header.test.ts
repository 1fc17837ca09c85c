import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEADER_READ_SIZE, parseElfHeader, readElfHeader } from '@qus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxPath, fixturesPresent } from '../../../test/support/fixtures.js';
import { buildElfHeader, busyboxHeader, TARGET_FIELDS } from './support/headers.js';

let folder = '';

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'qus-elf-'));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

describe('readElfHeader errors', () => {
  it('rejects a script as not ELF', async () => {
    const path = file('script.sh', '#!/bin/sh\necho hi\n');

    const result = await readElfHeader(path);

    expect(result._unsafeUnwrapErr()).toEqual({ kind: 'not-elf', path, prefix: '23212f62696e2f73680a6563686f2068' });
  });

  it('rejects a truncated 64-bit header', async () => {
    const path = file('short', buildElfHeader(TARGET_FIELDS.aarch64).subarray(0, 40));

    const result = await readElfHeader(path);

    expect(result._unsafeUnwrapErr()).toEqual({ kind: 'truncated', path, size: 40, needed: 64 });
  });

  it('rejects a file of three bytes', async () => {
    const path = file('tiny', Uint8Array.from([0x7f, 0x45, 0x4c]));

    const result = await readElfHeader(path);

    expect(result._unsafeUnwrapErr()).toEqual({ kind: 'truncated', path, size: 3, needed: 52 });
  });

  it('rejects an invalid class', async () => {
    const bytes = buildElfHeader(TARGET_FIELDS.arm);
    bytes[4] = 3;

    const result = await readElfHeader(file('class', bytes));

    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-class', value: 3 });
  });

  it('rejects an invalid byte order', async () => {
    const bytes = buildElfHeader(TARGET_FIELDS.arm);
    bytes[5] = 0;

    const result = await readElfHeader(file('order', bytes));

    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-byte-order', value: 0 });
  });

  it('rejects a directory', async () => {
    const result = await readElfHeader(folder);

    expect(result._unsafeUnwrapErr()).toEqual({ kind: 'is-directory', path: folder });
  });

  it('rejects a FIFO without blocking', async () => {
    const path = join(folder, 'fifo');
    const made = spawnSync('mkfifo', [path]);

    // A read of a FIFO with no writer would wait forever and hit the test timeout.
    const result = await readElfHeader(path);

    expect(made.status).toBe(0);
    expect(result._unsafeUnwrapErr()).toEqual({ kind: 'not-regular-file', path, fileType: 'fifo' });
  });

  it('rejects /dev/null as a device', async () => {
    const result = await readElfHeader('/dev/null');

    expect(result._unsafeUnwrapErr()).toEqual({
      kind: 'not-regular-file',
      path: '/dev/null',
      fileType: 'character-device',
    });
  });

  it('reports a missing file', async () => {
    const path = join(folder, 'missing');

    const result = await readElfHeader(path);

    expect(result._unsafeUnwrapErr()).toEqual({ kind: 'not-found', path });
  });

  it('reports a path through a file as missing', async () => {
    const path = join(file('plain', 'x'), 'below');

    const result = await readElfHeader(path);

    expect(result._unsafeUnwrapErr()).toEqual({ kind: 'not-found', path });
  });

  it('reports an unreadable file', () => {
    // Root reads any file whatever its mode, so the check runs as uid 65534 in a child,
    // which imports the built package (the test command builds it first).
    mkdirSync(join(folder, 'locked'), { recursive: true });
    chmodSync(folder, 0o755);
    chmodSync(join(folder, 'locked'), 0o755);
    const path = file('locked/secret', buildElfHeader(TARGET_FIELDS.arm));
    chmodSync(path, 0o000);
    const module = new URL('../dist/index.js', import.meta.url).pathname;
    const script = `import { readElfHeader } from ${JSON.stringify(module)};
      const result = await readElfHeader(${JSON.stringify(path)});
      console.log(JSON.stringify(result.isErr() ? result.error : result.value.machineName));`;

    const child = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );

    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ kind: 'unreadable', path, code: 'EACCES' });
  });
});

describe('readElfHeader', () => {
  // The whole busybox is needed for its program headers; outside CI it may not be fetched.
  const needsFixtures = !fixturesPresent() && process.env['CI'] !== 'true';

  it.skipIf(needsFixtures)('reads a static busybox with its linkage', async () => {
    const path = file('busybox-arm64', busyboxHeader('arm64'));

    const header = (await readElfHeader(busyboxPath('arm64'), { programHeaders: true }))._unsafeUnwrap();
    const first = (await readElfHeader(path))._unsafeUnwrap();

    expect(header.linkage).toEqual({ kind: 'static' });
    expect(header).toMatchObject({ class: 64, byteOrder: 'little', machine: 183, machineName: 'aarch64', type: 2 });
    expect(first.bytes).toEqual(busyboxHeader('arm64'));
  });

  it('reads the loader of the running node', async () => {
    const header = (await readElfHeader(process.execPath, { programHeaders: true }))._unsafeUnwrap();

    expect(header.linkage?.kind).toBe('dynamic');
    expect(header.linkage?.kind === 'dynamic' && header.linkage.interpreter).toMatch(/^\/lib.*\/ld-linux.*\.so\.\d$/);
  });

  it('reads 256 bytes of a 4 GiB sparse file', async () => {
    const path = join(folder, 'sparse');
    writeFileSync(path, buildElfHeader(TARGET_FIELDS.riscv64));
    const grown = spawnSync('truncate', ['-s', '4G', path]);

    const header = (await readElfHeader(path))._unsafeUnwrap();

    expect(grown.status).toBe(0);
    expect(header.bytes).toHaveLength(HEADER_READ_SIZE);
    expect(header.machineName).toBe('riscv');
  });

  it('names machines elfy leaves unnamed', () => {
    const names = (['riscv64', 'loongarch64', 'alpha', 'microblazeel', 'hexagon', 'or1k'] as const).map(
      (name) => parseElfHeader(buildElfHeader(TARGET_FIELDS[name]))._unsafeUnwrap().machineName,
    );

    expect(names).toEqual(['riscv', 'loongarch', 'alpha', 'microblaze', 'hexagon', 'openrisc']);
  });
});
