// Per-exec overhead of running a foreign program through @qus/container-exec, against
// calling the static emulator directly (`qemu-aarch64-static busybox true`), all in one
// run on one machine. Needs the fixtures from scripts/fetch-fixtures.sh and Linux 6.7+
// with unprivileged user namespaces for the namespace rows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runRootless, runShim, writeWrappers } from '@qus/container-exec';

const REPETITIONS = 40;
const fixtures = process.env.QUS_FIXTURES ?? '/tmp/qus-fixtures';
const emulatorDirectory = join(fixtures, 'qemu', 'usr', 'bin');
const emulator = join(emulatorDirectory, 'qemu-aarch64-static');
const busybox = join(fixtures, 'busybox', 'arm64', 'bin', 'busybox');
const layout = { kind: 'directory', directory: emulatorDirectory, suffix: '-static' };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function timeSync(run) {
  const start = performance.now();
  const result = run();
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`bench: a run failed: ${String(result.stderr ?? result.error)}`);
  return elapsed;
}

async function timeAsync(run) {
  const start = performance.now();
  const result = await run();
  const elapsed = performance.now() - start;
  if (result.isErr() || result.value.exitCode !== 0) throw new Error('bench: a run failed');
  return elapsed;
}

/** Time direct and binfmt execs inside one private namespace; the script prints JSON. */
async function measureInNamespace(folder) {
  const script = join(folder, 'inner.mjs');
  writeFileSync(
    script,
    `import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
const time = (file, args) => { const s = performance.now(); const r = spawnSync(file, args, { stdio: 'ignore' }); if (r.status !== 0) process.exit(3); return performance.now() - s; };
const direct = [], binfmt = [];
for (let i = 0; i < ${REPETITIONS}; i += 1) {
  direct.push(time(${JSON.stringify(emulator)}, [${JSON.stringify(busybox)}, 'true']));
  binfmt.push(time(${JSON.stringify(busybox)}, ['true']));
}
process.stdout.write(JSON.stringify({ direct, binfmt }));
`,
  );
  const output = join(folder, 'inner.json');
  const { openSync, closeSync, readFileSync } = await import('node:fs');
  const fd = openSync(output, 'w');
  const result = await runRootless([process.execPath, script], { layout, targets: ['aarch64'], stdio: [0, fd, 2] });
  closeSync(fd);
  if (result.isErr() || result.value.exitCode !== 0 || result.value.mode !== 'namespace') return null;
  return JSON.parse(readFileSync(output, 'utf8'));
}

export default async function containerExec() {
  const folder = mkdtempSync(join(tmpdir(), 'qus-bench-'));
  try {
    const written = await writeWrappers([busybox], { outDir: join(folder, 'bin'), layout });
    if (written.isErr()) throw new Error('bench: writing the wrapper failed');
    const wrapper = written.value[0].wrapper;

    const direct = [];
    const wrapped = [];
    const shim = [];
    const rootless = [];
    // Interleaved so that drift in machine load affects every variant alike.
    for (let index = 0; index < REPETITIONS; index += 1) {
      direct.push(timeSync(() => spawnSync(emulator, [busybox, 'true'], { stdio: 'ignore' })));
      wrapped.push(timeSync(() => spawnSync(wrapper, ['true'], { stdio: 'ignore' })));
      shim.push(await timeAsync(() => runShim(busybox, ['true'], { layout })));
      rootless.push(await timeAsync(() => runRootless([busybox, 'true'], { layout })));
    }
    const inside = await measureInNamespace(folder);

    const base = median(direct);
    const row = (name, values, reference = base) =>
      `| ${name} | ${median(values).toFixed(2)} | ${(median(values) / reference).toFixed(2)}× |`;
    const lines = [
      `Median wall time of ${REPETITIONS} runs of \`busybox true\` (Debian arm64 busybox, Debian QEMU 7.2 \`qemu-aarch64-static\`), started from Node.js with \`spawnSync\` or awaited in-process. Ratio against the direct call. Goal: the wrapper within 10% (≤ 1.10×).`,
      '',
      '| variant | median ms | vs direct |',
      '|---|---|---|',
      row('direct: `qemu-aarch64-static busybox true`', direct),
      row('generated wrapper (`/bin/sh` then `exec`)', wrapped),
      row('`runShim` in-process (header read, match, spawn)', shim),
      row('`runRootless` per call (unshare, mount, register, run)', rootless),
    ];
    if (inside !== null) {
      const insideBase = median(inside.direct);
      lines.push(
        row('inside one namespace: direct call', inside.direct, insideBase),
        row('inside one namespace: exec through binfmt_misc (F)', inside.binfmt, insideBase),
      );
    } else {
      lines.push('| inside one namespace | not measured: no private binfmt_misc instance here | |');
    }
    lines.push('', 'The namespace rows compare against the direct call made inside the same namespace.');
    return { title: 'container-exec: per-exec overhead', markdown: lines.join('\n') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
