// Measure @qus/core from its built dist. readElfHeader runs on a 4 GiB sparse file and on
// a 1 KiB file: it reads at most 256 bytes, so both should cost the same. The records of
// all 34 targets are built, validated and formatted, and the cold import of the package
// is timed against `node -e 0`. Every figure is the median of repeated runs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { formatRegisterString, readElfHeader, register, targets, validateRecord } from '@qus/core';

const benchDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const HEADER_CALLS = 2000;
const RECORD_ROUNDS = 300;
const IMPORT_RUNS = 21;

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function microseconds(milliseconds) {
  return (milliseconds * 1000).toFixed(1);
}

/** Build a file start with a 64-bit little-endian aarch64 ELF header and zero bytes after it. */
function aarch64Header(size) {
  const bytes = Buffer.alloc(size);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(bytes);
  bytes.writeUInt16LE(2, 16);
  bytes.writeUInt16LE(183, 18);
  bytes.writeUInt32LE(1, 20);
  bytes.writeUInt16LE(64, 52);
  bytes.writeUInt16LE(56, 54);
  return bytes;
}

/** Return the median time of one readElfHeader call, over batches of calls. */
async function timeHeader(path) {
  const batches = [];
  for (let batch = 0; batch < 10; batch += 1) {
    const start = performance.now();
    for (let call = 0; call < HEADER_CALLS / 10; call += 1) {
      const result = await readElfHeader(path);
      if (result.isErr()) throw new Error(`readElfHeader failed on ${path}: ${JSON.stringify(result.error)}`);
    }
    batches.push((performance.now() - start) / (HEADER_CALLS / 10));
  }
  return median(batches);
}

function timeRecords() {
  const names = targets.map((target) => target.name);
  const build = [];
  const validate = [];
  const format = [];
  for (let round = 0; round < RECORD_ROUNDS; round += 1) {
    let start = performance.now();
    const records = register(names, { flags: 'F' })._unsafeUnwrap();
    build.push(performance.now() - start);

    start = performance.now();
    for (const record of records) validateRecord(record)._unsafeUnwrap();
    validate.push(performance.now() - start);

    start = performance.now();
    for (const record of records) formatRegisterString(record)._unsafeUnwrap();
    format.push(performance.now() - start);
  }
  return { build: median(build), validate: median(validate), format: median(format), count: names.length };
}

function timeNode(args) {
  const runs = [];
  for (let run = 0; run < IMPORT_RUNS; run += 1) {
    const start = performance.now();
    execFileSync(process.execPath, args, { cwd: benchDirectory });
    runs.push(performance.now() - start);
  }
  return median(runs);
}

export default async function core() {
  const folder = mkdtempSync(join(tmpdir(), 'qus-bench-core-'));
  try {
    const small = join(folder, 'small');
    const sparse = join(folder, 'sparse');
    writeFileSync(small, aarch64Header(1024));
    writeFileSync(sparse, aarch64Header(1024));
    truncateSync(sparse, 4 * 2 ** 30);

    await timeHeader(small);
    const smallTime = await timeHeader(small);
    const sparseTime = await timeHeader(sparse);
    const records = timeRecords();
    const bareNode = timeNode(['-e', '0']);
    const importCore = timeNode(['-e', "import('@qus/core')"]);

    const markdown = [
      `readElfHeader, median of 10 batches of ${HEADER_CALLS / 10} calls, each a stat, open, fstat, 256-byte read and close:`,
      '',
      '| file | time per call (µs) |',
      '|---|---|',
      `| 1 KiB | ${microseconds(smallTime)} |`,
      `| 4 GiB sparse | ${microseconds(sparseTime)} |`,
      `| ratio 4 GiB / 1 KiB | ${(sparseTime / smallTime).toFixed(2)} |`,
      '',
      `All ${records.count} targets, median of ${RECORD_ROUNDS} rounds (one call per target):`,
      '',
      '| step | whole round (µs) | per record (µs) |',
      '|---|---|---|',
      `| register() builds and validates the records | ${microseconds(records.build)} | ${microseconds(records.build / records.count)} |`,
      `| validateRecord | ${microseconds(records.validate)} | ${microseconds(records.validate / records.count)} |`,
      `| formatRegisterString | ${microseconds(records.format)} | ${microseconds(records.format / records.count)} |`,
      '',
      `Cold start, median of ${IMPORT_RUNS} processes run from bench/:`,
      '',
      '| command | time (ms) |',
      '|---|---|',
      `| \`node -e 0\` | ${bareNode.toFixed(1)} |`,
      `| \`node -e "import('@qus/core')"\` | ${importCore.toFixed(1)} |`,
      `| ratio | ${(importCore / bareNode).toFixed(2)} |`,
    ].join('\n');
    return { title: '@qus/core: header reads, records and import time', markdown };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
