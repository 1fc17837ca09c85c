// Register all 34 QEMU targets into a fresh binfmt_misc instance three ways in the same
// user namespace. The ways are @qus/procfs in-process, systemd-binfmt applying one .conf
// file per target, and a shell loop of `printf > register`. The loop is the floor: one
// open and one write per record, nothing else. Everything runs inside `unshare --user --map-root-user --mount`
// with a private instance mounted over /proc/sys/fs/binfmt_misc, so the machine's own
// instance is never written. Interpreters point at the fixture folder without F, so a
// missing emulator does not fail a registration.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRegisterString, register, targets } from '@qus/core';

const here = dirname(fileURLToPath(import.meta.url));
const REPETITIONS = 25;
const SYSTEMD_BINFMT = '/lib/systemd/systemd-binfmt';
const interpreterDirectory = join(process.env.QUS_FIXTURES ?? '/tmp/qus-fixtures', 'qemu', 'usr', 'bin');

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Build the shell script for the namespace: check that the instance is fresh, then time each way. */
function namespaceScript(work, records) {
  const confFiles = records.map((record) => join(work, 'conf', `${record.name}.conf`)).join(' ');
  return `
set -e
D=/proc/sys/fs/binfmt_misc
mount -t binfmt_misc binfmt_misc "$D"
if [ -n "$(ls -A "$D" | grep -v -x -e register -e status || true)" ]; then echo "procfs-register: the private binfmt_misc instance already has entries, so nothing was measured" >&2; exit 97; fi
# The x86_64 entry matches this host's own programs, and its interpreter does too, so every
# native exec (date, node) would fail with ELOOP. Registration works the same on a
# disabled instance, which matches nothing.
printf 0 > "$D/status"
now() { date +%s%N; }
clear() { printf -- '-1' > "$D/status"; }
count() { ls -A "$D" | grep -c -v -x -e register -e status || true; }
i=0
while [ "$i" -lt ${REPETITIONS} ]; do
  t0=$(now); t1=$(now); echo "timer $((t1 - t0)) -"
  clear; t0=$(now); ${SYSTEMD_BINFMT} ${confFiles}; t1=$(now); echo "systemd-binfmt $((t1 - t0)) $(count)"
  clear; t0=$(now); while IFS= read -r line; do printf '%s\\n' "$line" > "$D/register"; done < ${work}/lines.txt; t1=$(now); echo "shell $((t1 - t0)) $(count)"
  clear; t0=$(now); node ${work}/../procfs-process.mjs; t1=$(now); echo "procfs-process $((t1 - t0)) $(count)"
  i=$((i + 1))
done
clear
node ${work}/../procfs-in-process.mjs
`;
}

const inProcessSource = (recordsJson) => `
import { createProcfsBackend } from '@qus/procfs';
import { register } from '@qus/core';
const records = register(${recordsJson}.names, { layout: ${recordsJson}.layout })._unsafeUnwrap();
const backend = createProcfsBackend();
for (let index = 0; index < ${REPETITIONS}; index += 1) {
  (await backend.removeAll({ confirm: true }))._unsafeUnwrap();
  const start = process.hrtime.bigint();
  const report = (await backend.apply(records))._unsafeUnwrap();
  const end = process.hrtime.bigint();
  const registered = report.outcomes.filter((outcome) => outcome.status === 'registered').length;
  console.log('procfs ' + (end - start) + ' ' + registered);
}
`;

const processSource = (recordsJson) => `
import { createProcfsBackend } from '@qus/procfs';
import { register } from '@qus/core';
const records = register(${recordsJson}.names, { layout: ${recordsJson}.layout })._unsafeUnwrap();
const report = (await createProcfsBackend().apply(records))._unsafeUnwrap();
if (report.outcomes.some((outcome) => outcome.status !== 'registered')) process.exit(1);
`;

export default async function procfsRegister() {
  const layout = { kind: 'directory', directory: interpreterDirectory, suffix: '-static' };
  const names = targets.map((target) => target.name);
  const records = register(names, { layout })._unsafeUnwrap();
  const recordsJson = JSON.stringify({ names, layout });

  // Scripts that import @qus/* must sit under bench/ so that the workspace links resolve.
  const outFolder = join(here, '..', 'out');
  mkdirSync(outFolder, { recursive: true });
  const work = mkdtempSync(join(outFolder, 'procfs-'));
  const scripts = join(work, '..');
  mkdirSync(join(work, 'conf'));
  for (const record of records) {
    writeFileSync(join(work, 'conf', `${record.name}.conf`), `${formatRegisterString(record)._unsafeUnwrap()}\n`);
  }
  writeFileSync(
    join(work, 'lines.txt'),
    `${records.map((record) => formatRegisterString(record)._unsafeUnwrap()).join('\n')}\n`,
  );
  writeFileSync(join(scripts, 'procfs-in-process.mjs'), inProcessSource(recordsJson));
  writeFileSync(join(scripts, 'procfs-process.mjs'), processSource(recordsJson));

  let run;
  try {
    run = spawnSync(
      'unshare',
      ['--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c', namespaceScript(work, records)],
      { encoding: 'utf8', timeout: 300_000 },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(join(scripts, 'procfs-in-process.mjs'), { force: true });
    rmSync(join(scripts, 'procfs-process.mjs'), { force: true });
  }
  if (run.status !== 0) throw new Error(`procfs-register: the namespace script failed:\n${run.stderr}`);

  const samples = new Map();
  for (const line of run.stdout.trim().split('\n')) {
    const [way, nanoseconds, count] = line.split(' ');
    if (count !== '-' && Number(count) !== records.length) {
      throw new Error(`procfs-register: ${way} registered ${count} of ${records.length} entries`);
    }
    samples.set(way, [...(samples.get(way) ?? []), Number(nanoseconds) / 1e6]);
  }

  // The shell-timed ways pay one fork of `date` that the in-process timer does not.
  const timer = median(samples.get('timer'));
  const cost = (way) => median(samples.get(way)) - (way === 'procfs' ? 0 : timer);
  const floor = cost('shell');
  const rows = [
    ['`printf > register` shell loop (floor)', 'shell'],
    ['@qus/procfs `apply()`, in-process', 'procfs'],
    ['@qus/procfs in a new `node` process (startup and import included)', 'procfs-process'],
    ['`systemd-binfmt` with 34 `.conf` files (process startup included)', 'systemd-binfmt'],
  ].map(([label, way]) => {
    const value = cost(way);
    return `| ${label} | ${value.toFixed(2)} | ${((value / records.length) * 1000).toFixed(0)} | ${(value / floor).toFixed(2)}× |`;
  });

  const markdown = [
    `Registering all ${records.length} QEMU targets (no \`F\`) into a fresh binfmt_misc instance in a private user namespace (Linux 6.7 or later), ${REPETITIONS} runs of each way; medians. The shell loop and systemd-binfmt are timed from the shell with \`date +%s%N\`, and the median cost of that timer alone (\`t0=$(date); t1=$(date)\`, ${timer.toFixed(2)} ms here) is subtracted from their figures. The instance is disabled while measuring, because the \`x86_64\` entry would otherwise take over every native program of the x86-64 host; writing to \`register\` is the same either way. \`apply()\` is timed inside Node and includes reading the instance back, checking each record and computing warnings before the writes.`,
    '',
    '| Way | Median (ms) | Per record (µs) | Ratio to the shell loop |',
    '|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
  return { title: 'Registering 34 targets with binfmt_misc', markdown };
}
