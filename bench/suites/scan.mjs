// Scan a generated tree of 10,000 files with `qus inspect --recursive DIR` and with its
// peer `find DIR -type f -exec file {} +`, at two file-size scales: every file small, then
// the same tree with sparse multi-GiB files and a few hundred MiB of random data added.
// Peak memory must not grow with file size, because qus reads at most the first 256
// bytes (plus the program headers) of each file.
//
// Both commands run under /usr/bin/time inside a user namespace with a private
// binfmt_misc instance in which every foreign QEMU target is registered (Debian bookworm
// emulators from the fixtures), so that qus matches each ELF file against real entries.
// The tree is generated under the system temporary folder and deleted afterwards.
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE_COUNT = 10_000;
const FOLDER_COUNT = 100;
/** One file in ten is an ELF program: a hard link to one of the Debian busybox-static binaries. */
const ELF_EVERY = 10;
const REPETITIONS = 5;
/** Files made large at the second scale. */
const SPARSE_FILES = 100;
const SPARSE_SIZE = 8 * 2 ** 30;
const RANDOM_FILES = 4;
const RANDOM_SIZE = 64 * 2 ** 20;

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const qus = join(repositoryRoot, 'packages', 'cli', 'dist', 'bin.js');
const fixtures = process.env.QUS_FIXTURES ?? '/tmp/qus-fixtures';
const busyboxArchitectures = ['arm64', 'armhf', 'armel', 'i386', 'mips64el', 'mipsel', 'ppc64el', 's390x'];
const TIME = '/usr/bin/time';

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mebibytes(kibibytes) {
  return (kibibytes / 1024).toFixed(1);
}

function gibibytes(bytes) {
  return (bytes / 2 ** 30).toFixed(1);
}

function writeFile(path, bytes) {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Small text and binary files with ELF programs mixed in; returns the path of every non-ELF file. */
function generateTree(root) {
  const others = [];
  const text = Buffer.from('#!/bin/sh\necho "not an ELF file"\n'.repeat(30));
  const binary = randomFillSync(Buffer.alloc(4096));
  for (let index = 0; index < FILE_COUNT; index += 1) {
    const folder = join(root, `d${String(index % FOLDER_COUNT).padStart(3, '0')}`);
    if (index < FOLDER_COUNT) mkdirSync(folder);
    const path = join(folder, `f${index}`);
    if (index % ELF_EVERY === 0) {
      const architecture = busyboxArchitectures[(index / ELF_EVERY) % busyboxArchitectures.length];
      linkSync(join(fixtures, 'busybox', architecture, 'bin', 'busybox'), path);
    } else {
      writeFile(path, index % 2 === 0 ? text : binary);
      others.push(path);
    }
  }
  return others;
}

/** Make some non-ELF files large: sparse files (holes read as zeros) and files of random data. */
function growTree(others) {
  let apparent = 0;
  let written = 0;
  for (let index = 0; index < SPARSE_FILES; index += 1) {
    const fd = openSync(others[index * 7], 'r+');
    try {
      // One byte at the end makes the file SPARSE_SIZE long without allocating its blocks.
      writeSync(fd, Buffer.from([0x0a]), 0, 1, SPARSE_SIZE - 1);
    } finally {
      closeSync(fd);
    }
    apparent += SPARSE_SIZE;
  }
  const chunk = Buffer.alloc(2 ** 20);
  for (let index = 0; index < RANDOM_FILES; index += 1) {
    const fd = openSync(others[index * 7 + 3], 'w');
    try {
      for (let offset = 0; offset < RANDOM_SIZE; offset += chunk.length) writeSync(fd, randomFillSync(chunk));
    } finally {
      closeSync(fd);
    }
    apparent += RANDOM_SIZE;
    written += RANDOM_SIZE;
  }
  return { apparent, written };
}

/**
 * Run a command under /usr/bin/time in a fresh user and mount namespace whose private
 * binfmt_misc instance has every foreign QEMU target registered; return its wall time
 * in seconds and its peak resident set size in KiB (for `find`, the largest of its
 * processes, as getrusage(RUSAGE_CHILDREN) reports).
 */
function measure(command, report) {
  const script = [
    'set -e',
    'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc',
    `node ${JSON.stringify(qus)} register --all --qemu-path ${JSON.stringify(join(fixtures, 'qemu', 'usr', 'bin'))} >/dev/null 2>&1`,
    `exec ${TIME} -f '%e %M' -o ${JSON.stringify(report)} "$@" >/dev/null`,
  ].join('\n');
  const result = spawnSync(
    'unshare',
    ['--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c', script, 'scan', ...command],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  if (result.status !== 0) {
    throw new Error(`scan: "${command.join(' ')}" exited with ${result.status}: ${result.stderr.trim()}`);
  }
  const output = spawnSync('cat', [report], { encoding: 'utf8' }).stdout.trim().split('\n').at(-1);
  const [seconds, kibibytes] = output.split(' ').map(Number);
  return { seconds, kibibytes };
}

function measureBoth(root, report) {
  const commands = {
    qus: ['node', qus, 'inspect', '--recursive', root],
    file: ['find', root, '-type', 'f', '-exec', 'file', '{}', '+'],
  };
  const results = {};
  for (const [name, command] of Object.entries(commands)) {
    // One untimed run first, so both commands see a warm page cache.
    measure(command, report);
    const runs = Array.from({ length: REPETITIONS }, () => measure(command, report));
    results[name] = {
      seconds: median(runs.map((run) => run.seconds)),
      kibibytes: Math.max(...runs.map((run) => run.kibibytes)),
    };
  }
  return results;
}

function checkQusCounts(root) {
  const result = spawnSync('node', [qus, 'inspect', '--recursive', root, '--json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  const counts = JSON.parse(result.stdout).counts;
  const expectedElf = FILE_COUNT / ELF_EVERY;
  if (counts.files !== FILE_COUNT || counts.elf !== expectedElf) {
    throw new Error(`scan: qus counted ${JSON.stringify(counts)}, expected ${FILE_COUNT} files and ${expectedElf} ELF`);
  }
}

export default async function scanSuite() {
  const title = 'inspect --recursive: scanning 10,000 files';
  for (const [path, fix] of [
    [TIME, 'apt-get install time'],
    ['/usr/bin/file', 'apt-get install file'],
  ]) {
    if (!existsSync(path)) return { title, markdown: `Skipped: ${path} is missing (install it: ${fix}).` };
  }

  const root = mkdtempSync(join(tmpdir(), 'qus-bench-scan-'));
  const tree = join(root, 'tree');
  const report = join(root, 'time.txt');
  try {
    mkdirSync(tree);
    const others = generateTree(tree);
    checkQusCounts(tree);
    const small = measureBoth(tree, report);
    const large = growTree(others);
    checkQusCounts(tree);
    const big = measureBoth(tree, report);

    const row = (label, results) =>
      `| ${label} | ${results.qus.seconds.toFixed(2)} | ${results.file.seconds.toFixed(2)} | ${(
        results.qus.seconds / results.file.seconds
      ).toFixed(2)}× | ${mebibytes(results.qus.kibibytes)} | ${mebibytes(results.file.kibibytes)} |`;
    const growth = big.qus.kibibytes / small.qus.kibibytes;
    const markdown = `
${FILE_COUNT.toLocaleString('en')} regular files in ${FOLDER_COUNT} folders: one in ${ELF_EVERY} is a hard link to one of the 8 Debian bookworm busybox-static binaries (arm64, armhf, armel, i386, mips64el, mipsel, ppc64el, s390x; 1.2–2.4 MiB each), the rest are 1 KiB shell text or 4 KiB random bytes. At the second scale ${SPARSE_FILES} of those files are ${gibibytes(SPARSE_SIZE)} GiB sparse files and ${RANDOM_FILES} hold ${RANDOM_SIZE / 2 ** 20} MiB of random data each: ${gibibytes(large.apparent)} GiB apparent size, ${large.written / 2 ** 20} MiB written.

Commands: \`qus inspect --recursive DIR\` (Node.js, start-up included) against \`find DIR -type f -exec file {} +\`, output to /dev/null, each inside a user namespace whose private binfmt_misc has every foreign QEMU target registered. Wall time is the median of ${REPETITIONS} runs after one warm-up run (warm page cache); peak memory is the maximum resident set size /usr/bin/time reports over those runs (for \`find\`, its largest process).

| tree | qus s | file s | qus vs file | qus peak MiB | file peak MiB |
|---|---|---|---|---|---|
${row('small files only', small)}
${row(`with ${gibibytes(large.apparent)} GiB of large files`, big)}

qus peak memory at the large scale is ${growth.toFixed(2)}× its peak at the small scale.
`;
    return { title, markdown };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
