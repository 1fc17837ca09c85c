// Run every benchmark suite in bench/suites/ against the built packages and write
// bench/RESULTS.md. Each suite is an ES module whose default export is an async
// function returning { title, markdown }; it measures qus and its peer in the same
// run and reports ratios, never absolute pass/fail thresholds.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const suites = readdirSync(join(here, 'suites'))
  .filter((file) => file.endsWith('.mjs'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

function version(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return 'not found';
  }
}

const sections = [];
for (const file of suites) {
  process.stderr.write(`bench: running ${file}\n`);
  const suite = await import(pathToFileURL(join(here, 'suites', file)).href);
  const result = await suite.default();
  sections.push(`## ${result.title}\n\n${result.markdown.trim()}\n`);
}

const header = [
  '# Benchmark results',
  '',
  'Written by `pnpm bench` (bench/run.mjs). Each figure is a ratio against a peer measured in the same run on the same machine; absolute times are shown for context only.',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`,
  `- Node.js ${process.version}; ${version('/lib/systemd/systemd-binfmt', ['--version'])}; ${version('file', ['--version'])}`,
  '',
].join('\n');
const output = `${header}\n${sections.join('\n')}`;
const target = only.length === 0 ? join(here, 'RESULTS.md') : join(here, 'out', 'RESULTS.partial.md');
if (only.length > 0) {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(here, 'out'), { recursive: true });
}
writeFileSync(target, output);
process.stderr.write(`bench: wrote ${target}\n`);
