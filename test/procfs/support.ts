import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NamespaceOptions, runInNamespace, runNodeInNamespace } from '../support/namespace.js';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Run `body` as an ES module inside a fresh namespace, with `backend` bound to the
 * instance at BINFMT_DIR, `core` and `procfs` imported, and `out` an object the body
 * fills. Returns `out` as parsed JSON; fails with the script's stderr otherwise.
 */
export async function runProcfsScript(
  body: string,
  options: NamespaceOptions & { readonly wrapper?: string } = {},
): Promise<Record<string, unknown>> {
  const source = [
    "import * as core from '@qus/core';",
    "import * as procfs from '@qus/procfs';",
    "import { execFileSync, spawn, spawnSync } from 'node:child_process';",
    "import * as fs from 'node:fs';",
    'const out = {};',
    'const backend = procfs.createProcfsBackend({ root: process.env.BINFMT_DIR });',
    body,
    'process.stdout.write(JSON.stringify(out));',
  ].join('\n');
  const result =
    options.wrapper === undefined
      ? await runNodeInNamespace(source, options)
      : await runWrapped(source, options.wrapper, options);
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`script failed (code ${result.code}):\n${result.stderr}\n${result.stdout}`);
  }
}

/** Like runNodeInNamespace, but starts node through `wrapper` (such as a nested `unshare --user`). */
async function runWrapped(source: string, wrapper: string, options: NamespaceOptions) {
  const folder = join(repositoryRoot, 'test', '.tmp');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `procfs-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  try {
    return await runInNamespace(`exec ${wrapper} node ${JSON.stringify(file)}`, options);
  } finally {
    rmSync(file, { force: true });
  }
}
