// The library half of the example: everything a build tool needs to turn a list of
// foreign programs into binfmt.d files, with the public APIs of @qus/core and
// @qus/binfmt-d. bin.mjs is the command-line half.
import { machine } from 'node:os';
import { createSystemdBackend } from '@qus/binfmt-d';
import {
  deriveMagicMask,
  describeDeriveError,
  describeElfHeaderError,
  describePlanError,
  describeUnknownTarget,
  describeValidationError,
  planHostTargets,
  readElfHeader,
  register,
  resolveTarget,
} from '@qus/core';

/**
 * Read each program's ELF header and find the QEMU target that runs it.
 *
 * @param {readonly string[]} programs - paths of the programs
 * @returns {Promise<{ path: string, target?: string, problem?: string }[]>} one item per program, in order
 */
export async function classifyPrograms(programs) {
  const results = [];
  for (const path of programs) {
    const header = await readElfHeader(path);
    if (header.isErr()) {
      results.push({ path, problem: describeElfHeaderError(header.error) });
      continue;
    }
    const pair = deriveMagicMask(header.value);
    if (pair.isErr()) {
      results.push({ path, problem: `${path}: ${describeDeriveError(pair.error)}` });
    } else if (pair.value.target === null) {
      // QEMU's rules give a magic and mask, but no emulator in the table runs this machine.
      results.push({ path, problem: `${path}: no QEMU target runs ELF machine ${header.value.machine}` });
    } else {
      results.push({ path, target: pair.value.target.name });
    }
  }
  return results;
}

/**
 * Plan the binfmt_misc entries a set of foreign programs needs on a host and write one
 * `qemu-<cpu>.conf` per entry into a folder, as systemd-binfmt reads them. Nothing is
 * written when any program cannot be planned.
 *
 * @param {readonly string[]} programs - paths of the programs
 * @param {{ directory: string, qemuPath?: string, flags?: string, hostMachine?: string, dryRun?: boolean }} options -
 *   `directory` to write to; `qemuPath` holds `qemu-<cpu>-static` (default /usr/bin); `flags` as letters
 *   (default `F`); `hostMachine` as `uname -m` prints it (default this machine's)
 * @returns {Promise<{ ok: boolean, lines: string[] }>} whether it worked, and the report lines to print
 */
export async function planBinfmtFiles(programs, options) {
  const hostMachine = options.hostMachine ?? machine();
  const lines = [];

  // QEMU's own rule decides what the host runs natively: its CPU and, unless it has no
  // 32-bit mode, its family (an x86_64 host runs i386 programs).
  const plan = planHostTargets({ machine: hostMachine });
  if (plan.isErr()) return { ok: false, lines: [describePlanError(plan.error)] };
  const needed = new Set(plan.value.targets.map((target) => target.name));

  const classified = await classifyPrograms(programs);
  const problems = classified.filter((item) => item.problem !== undefined);
  if (problems.length > 0) {
    return { ok: false, lines: [...problems.map((item) => `error: ${item.problem}`), 'nothing written'] };
  }

  const targets = [];
  for (const { path, target } of classified) {
    // Each target name came from the catalogue; resolving it again is what a tool does with a user's name.
    const resolved = resolveTarget(target)._unsafeUnwrap();
    if (!needed.has(resolved.name)) {
      lines.push(`${path}: ${resolved.name}, runs natively on ${hostMachine}`);
      continue;
    }
    lines.push(`${path}: ${resolved.name}`);
    if (!targets.includes(resolved.name)) targets.push(resolved.name);
  }

  const layout = { kind: 'directory', directory: options.qemuPath ?? '/usr/bin', suffix: '-static' };
  const records = register(targets, { layout, flags: options.flags ?? 'F' });
  if (records.isErr()) {
    const message =
      records.error.kind === 'unknown-target'
        ? describeUnknownTarget(records.error)
        : describeValidationError(records.error);
    return { ok: false, lines: [...lines, `error: ${message}`] };
  }

  const backend = createSystemdBackend({ directory: options.directory });
  const report = await backend.apply(records.value, { dryRun: options.dryRun === true, onError: 'rollback' });
  if (report.isErr()) return { ok: false, lines: [...lines, `error: ${backend.describeError(report.error)}`] };

  for (const change of report.value.changes) lines.push(`${change.action} ${change.path}`);
  for (const outcome of report.value.outcomes) {
    if (outcome.status === 'failed') lines.push(`error: ${backend.describeError(outcome.error)}`);
  }
  const ok = report.value.outcomes.every((outcome) => outcome.status !== 'failed');
  return { ok, lines };
}
