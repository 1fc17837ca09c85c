import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeInNamespace } from '../support/namespace.js';

/** What the kernel did with one register string. */
export interface KernelOutcome {
  /** `OK`, or the errno name `write()` failed with. */
  readonly result: string;
  /** For accepted strings: the entry's file name and its text, as the kernel printed them. */
  readonly entries: readonly { readonly name: Buffer; readonly status: string }[];
}

/**
 * Runs in the namespace: write each string to `register` with one write(), record the
 * errno, read back every entry it created, then remove those entries with `-1`.
 */
const RUNNER = `
import { closeSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
const dir = Buffer.from(process.env.BINFMT_DIR);
const slash = Buffer.from('/');
const cases = JSON.parse(readFileSync(process.env.QUS_CASES, 'utf8'));
const listEntries = () =>
  readdirSync(dir, { encoding: 'buffer' }).filter((name) => !['register', 'status'].includes(name.toString('latin1')));
const outcomes = [];
for (const encoded of cases) {
  const bytes = Buffer.from(encoded, 'base64');
  let result = 'OK';
  const fd = openSync(Buffer.concat([dir, slash, Buffer.from('register')]), 'w');
  try {
    const written = writeSync(fd, bytes);
    if (written !== bytes.length) result = 'SHORT-WRITE ' + written;
  } catch (error) {
    result = error.code ?? String(error);
  } finally {
    closeSync(fd);
  }
  const entries = [];
  for (const name of listEntries()) {
    const path = Buffer.concat([dir, slash, name]);
    const status = readFileSync(path).toString('base64');
    const control = openSync(path, 'w');
    writeSync(control, '-1');
    closeSync(control);
    entries.push({ name: name.toString('base64'), status });
  }
  outcomes.push({ result, entries });
}
if (listEntries().length !== 0) throw new Error('entries left behind');
process.stdout.write(JSON.stringify(outcomes));
`;

/** Write every string to `register` of one fresh binfmt_misc instance, in order. */
export async function registerInKernel(strings: readonly Buffer[]): Promise<KernelOutcome[]> {
  const folder = mkdtempSync(join(tmpdir(), 'qus-register-'));
  const file = join(folder, 'cases.json');
  writeFileSync(file, JSON.stringify(strings.map((bytes) => bytes.toString('base64'))));
  try {
    const run = await runNodeInNamespace(RUNNER, { env: { QUS_CASES: file }, timeoutMs: 120_000 });
    if (run.code !== 0) {
      throw new Error(`the namespace runner failed (exit ${run.code}, signal ${run.signal}): ${run.stderr}`);
    }
    const parsed = JSON.parse(run.stdout) as { result: string; entries: { name: string; status: string }[] }[];
    return parsed.map((outcome) => ({
      result: outcome.result,
      entries: outcome.entries.map((entry) => ({
        name: Buffer.from(entry.name, 'base64'),
        status: Buffer.from(entry.status, 'base64').toString('utf8'),
      })),
    }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
