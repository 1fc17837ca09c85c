// Write the 34 QEMU targets as systemd binfmt.d files and read them back, two ways in the
// same run. @qus/binfmt-d runs in-process: atomic writes (temporary file, fsync, rename,
// folder fsync), then readSystemdConfig parses every line with the kernel's rules. The
// peer is a shell loop of `printf > file`, as `qemu-binfmt-conf.sh --systemd ALL` writes
// the files, followed by `cat` of every file. Each repetition starts from an empty temporary folder. Nothing
// touches binfmt_misc.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSystemdBackend, readSystemdConfig } from '@qus/binfmt-d';
import { formatRegisterString, register, targets } from '@qus/core';

const REPETITIONS = 15;

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function milliseconds(value) {
  return value.toFixed(2);
}

async function timeQus(directory, records) {
  const start = performance.now();
  const report = await createSystemdBackend({ directory }).apply(records);
  const written = performance.now();
  const config = await readSystemdConfig({ roots: [directory] });
  const end = performance.now();
  if (report.isErr() || report.value.outcomes.some((outcome) => outcome.status !== 'registered')) {
    throw new Error(`binfmt-d apply failed: ${JSON.stringify(report)}`);
  }
  if (config.records.length !== records.length || config.errors.length > 0) {
    throw new Error(`binfmt-d read back ${config.records.length} records and ${config.errors.length} errors`);
  }
  return { write: written - start, total: end - start };
}

/** Time the shell loop with `date +%s%N` inside the shell, so its start-up is not counted. */
function timeShell(work, directory) {
  const script = `
now() { date +%s%N; }
t0=$(now)
while IFS=' ' read -r name line; do printf '%s\\n' "$line" > "${directory}/$name.conf"; done < "${work}/lines.txt"
t1=$(now)
cat "${directory}"/*.conf > /dev/null
t2=$(now)
echo "$((t1 - t0)) $((t2 - t0)) $(ls "${directory}" | wc -l)"`;
  const result = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  const [write, total, count] = result.stdout.trim().split(' ').map(Number);
  if (result.status !== 0 || count !== 34) throw new Error(`shell loop failed: ${result.stderr}`);
  return { write: write / 1e6, total: total / 1e6 };
}

export default async function binfmtDSuite() {
  const records = register(targets, { validation: { strict: false } })._unsafeUnwrap();
  const work = mkdtempSync(join(tmpdir(), 'qus-bench-binfmt-d-'));
  try {
    const lines = records.map((record) => `${record.name} ${formatRegisterString(record)._unsafeUnwrap()}`);
    writeFileSync(join(work, 'lines.txt'), `${lines.join('\n')}\n`);
    const qus = [];
    const shell = [];
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      const qusDirectory = join(work, `qus-${repetition}`);
      const shellDirectory = join(work, `shell-${repetition}`);
      mkdirSync(shellDirectory);
      qus.push(await timeQus(qusDirectory, records));
      shell.push(timeShell(work, shellDirectory));
    }
    const row = (name, samples) => {
      const write = median(samples.map((sample) => sample.write));
      const total = median(samples.map((sample) => sample.total));
      return { name, write, total };
    };
    const qusRow = row('@qus/binfmt-d (atomic write + parse)', qus);
    const shellRow = row('shell `printf > file` + `cat`', shell);
    const markdown = [
      `Write 34 systemd binfmt.d files (one per QEMU target) into an empty folder and read them back; median of ${REPETITIONS} repetitions on the same machine in one run.`,
      '',
      '| way | write (ms) | write + read (ms) |',
      '|---|---:|---:|',
      `| ${qusRow.name} | ${milliseconds(qusRow.write)} | ${milliseconds(qusRow.total)} |`,
      `| ${shellRow.name} | ${milliseconds(shellRow.write)} | ${milliseconds(shellRow.total)} |`,
      '',
      `Ratio qus / shell: write ${(qusRow.write / shellRow.write).toFixed(2)}×, write + read ${(qusRow.total / shellRow.total).toFixed(2)}×.`,
      '',
      'The shell loop neither fsyncs nor renames, so a crash can leave a truncated file; @qus/binfmt-d makes two fsync calls per file (the file, then its folder after the rename). The shell time excludes the start-up of `sh`.',
    ].join('\n');
    return { title: 'binfmt.d files: write and read back 34 targets', markdown };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
