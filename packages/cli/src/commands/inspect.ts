import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BackendState,
  type ElfHeader,
  type MatchResult,
  matchFile,
  readElfHeader,
  recordForTarget,
  recordMismatch,
  type Target,
  targets,
} from '@qus/core';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { describeEntry, describeRejection, entryToJson } from '../describe-match.js';
import { EXIT_FAILURE } from '../errors.js';
import { type LiveEntries, readLiveEntries } from '../live-entries.js';
import { describeDisabledInstance, describeReadFailure, errnoCode } from '../messages.js';

interface InspectOptions {
  readonly json?: boolean;
  readonly root: string;
  readonly recursive?: string;
}

/** Find the catalogue target whose upstream magic and mask match a header, if any. */
export function catalogueTargetOf(header: ElfHeader): Target | undefined {
  return targets.find((target) => recordMismatch(recordForTarget(target), { bytes: header.bytes }) === null);
}

function elfSummary(header: ElfHeader): string {
  const order = header.byteOrder === 'little' ? 'little-endian' : 'big-endian';
  const linkage =
    header.linkage === undefined
      ? ''
      : header.linkage.kind === 'static'
        ? ', static'
        : `, dynamic (${header.linkage.interpreter})`;
  return `ELF ${header.class}-bit ${order} ${header.machineName}, ${header.typeName}${linkage}`;
}

function elfToJson(header: ElfHeader): Record<string, unknown> {
  return {
    class: header.class,
    byteOrder: header.byteOrder,
    machine: header.machine,
    machineName: header.machineName,
    type: header.type,
    typeName: header.typeName,
    osAbi: header.osAbi,
    abiVersion: header.abiVersion,
    flags: header.flags,
    linkage: header.linkage ?? null,
  };
}

/**
 * Match a file against the live entries as if the instance were enabled. Callers report a
 * disabled instance once, and the match still names the entry that runs the file after
 * `echo 1 > status`, instead of rejecting every entry as disabled.
 */
function matchLive(header: ElfHeader, path: string, state: BackendState): MatchResult {
  return matchFile({ bytes: header.bytes, path }, state.entries);
}

function fileReport(path: string, header: ElfHeader, live: LiveEntries): Record<string, unknown> {
  const target = catalogueTargetOf(header);
  const base = { path, elf: elfToJson(header), target: target?.name ?? null };
  if (!live.ok) return { ...base, entries: { read: false, reason: live.reason } };
  const result = matchLive(header, path, live.state);
  const winner = result.winner === null ? null : entryToJson(result.winner);
  return {
    ...base,
    entries: {
      read: true,
      instanceEnabled: live.state.enabled,
      winner: live.state.enabled ? winner : null,
      ...(live.state.enabled ? {} : { winnerWhenEnabled: winner }),
      rejected: result.rejected.map(({ entry, reason }) => ({
        name: entry.record.name,
        reason: reason.kind,
        detail: describeRejection(reason),
      })),
    },
  };
}

function printFile(context: CommandContext, path: string, header: ElfHeader, live: LiveEntries): void {
  const target = catalogueTargetOf(header);
  context.data(`${context.out.bold(path)}: ${elfSummary(header)}`);
  context.data(
    target === undefined
      ? '  target: none in the QEMU table'
      : `  target: ${target.name} (emulator ${target.interpreterName})`,
  );
  if (!live.ok) {
    context.data(`  registered entries not read: ${live.reason}`);
    return;
  }
  const result = matchLive(header, path, live.state);
  if (live.state.enabled) {
    context.data(
      result.winner === null
        ? '  runs with: no binfmt_misc entry matches, so the kernel loads it as a native program'
        : `  runs with: ${describeEntry(result.winner.record)}`,
    );
  } else {
    context.data('  runs with: no binfmt_misc entry, because binfmt_misc is disabled');
    context.data(
      result.winner === null
        ? '  once enabled: no entry matches either'
        : `  once enabled: ${describeEntry(result.winner.record)}`,
    );
  }
  for (const { entry, reason } of result.rejected) {
    context.data(`  not ${entry.record.name}: ${describeRejection(reason)}`);
  }
}

async function inspectTree(
  context: CommandContext,
  directory: string,
  live: LiveEntries,
  json: boolean,
): Promise<number> {
  let names: string[];
  try {
    const entries = await readdir(directory, { recursive: true, withFileTypes: true });
    names = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  } catch (error) {
    context.info(`qus: error: ${describeReadFailure(directory, errnoCode(error), 'directory')}`);
    return EXIT_FAILURE;
  }
  names.sort();
  const reports: Record<string, unknown>[] = [];
  let notElf = 0;
  let unreadable = 0;
  for (const path of names) {
    const header = await readElfHeader(path, { programHeaders: true });
    if (header.isErr()) {
      if (header.error.kind === 'unreadable' || header.error.kind === 'not-found') unreadable += 1;
      else notElf += 1;
      continue;
    }
    if (json) {
      reports.push(fileReport(path, header.value, live));
      continue;
    }
    const target = catalogueTargetOf(header.value)?.name ?? '-';
    let runner = 'entries not read';
    if (live.ok) {
      const { winner } = matchLive(header.value, path, live.state);
      runner = winner === null || !live.state.enabled ? 'native' : winner.record.name;
    }
    context.data(`${path}  ${target}  ${runner}`);
  }
  const elf = names.length - notElf - unreadable;
  if (json) {
    context.data(
      JSON.stringify({ directory, files: reports, counts: { files: names.length, elf, notElf, unreadable } }, null, 2),
    );
  } else {
    context.info(`${directory}: ${names.length} files, ${elf} ELF, ${notElf} not ELF, ${unreadable} unreadable`);
  }
  return 0;
}

async function runInspect(context: CommandContext, files: readonly string[], options: InspectOptions): Promise<number> {
  if (files.length === 0 && options.recursive === undefined) {
    return context.fail({ kind: 'missing-argument', command: 'inspect', what: 'a FILE or --recursive DIR' });
  }
  const live = await readLiveEntries(options.root);
  // Reported once for all files, rather than as a reason on each entry.
  if (live.ok && !live.state.enabled) {
    context.warn(describeDisabledInstance(options.root));
  }
  let exitCode = 0;
  if (options.recursive !== undefined) {
    exitCode = await inspectTree(context, options.recursive, live, options.json === true);
  }
  const reports: Record<string, unknown>[] = [];
  for (const path of files) {
    const header = await readElfHeader(path, { programHeaders: true });
    if (header.isErr()) {
      exitCode = context.fail({ kind: 'elf', error: header.error });
      continue;
    }
    if (options.json === true) reports.push(fileReport(path, header.value, live));
    else printFile(context, path, header.value, live);
  }
  if (options.json === true && files.length > 0) context.data(JSON.stringify(reports, null, 2));
  return exitCode;
}

/** Add `qus inspect`. */
export function defineInspectCommand(program: Command, context: CommandContext, finish: (code: number) => void): void {
  program
    .command('inspect')
    .description(
      'show ELF facts of programs, their QEMU target, and which registered entry would run each (and why the others would not)',
    )
    .argument('[files...]', 'programs to inspect; each must be a readable ELF file')
    .option('--json', 'print one JSON object per file, in an array')
    .option('--root <dir>', 'binfmt_misc mount point to read the entries from', '/proc/sys/fs/binfmt_misc')
    .option('--recursive <dir>', 'scan every regular file under DIR; files that are not ELF are counted, not errors')
    .addHelpText(
      'after',
      `
Examples:
  $ qus inspect ./busybox
  $ qus inspect --json rootfs/bin/busybox | jq '.[0].entries.winner.name'
  $ qus inspect --recursive ./rootfs/usr/bin`,
    )
    .action(async (files: string[], options: InspectOptions) => finish(await runInspect(context, files, options)));
}
