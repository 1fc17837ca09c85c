import { resolveTarget } from '@qus/core';
import type { Command } from 'commander';
import picomatch from 'picomatch';
import type { CommandContext } from '../context.js';
import { EXIT_FAILURE } from '../errors.js';
import { describeProcfsFailure, openProcfs } from '../procfs-backend.js';

/** Options of `qus unregister`, as parsed. */
export interface UnregisterOptions {
  readonly allQemu?: boolean;
  readonly root: string;
  readonly json?: boolean;
}

/**
 * Remove the entries the selectors name: entry names, targets by any name, or globs.
 * Shared by `qus unregister` and tonistiigi/binfmt's `qus --uninstall`.
 */
export async function runUnregister(
  context: CommandContext,
  selectors: readonly string[],
  options: UnregisterOptions,
): Promise<number> {
  const chosen = options.allQemu === true ? [...selectors, 'qemu-*'] : [...selectors];
  if (chosen.length === 0) {
    return context.fail({
      kind: 'missing-argument',
      command: 'unregister',
      what: 'a TARGET, NAME or GLOB, or --all-qemu',
    });
  }
  const backend = openProcfs(options.root);
  const state = await backend.read();
  if (state.isErr()) {
    return context.fail({ kind: 'backend', backend: 'procfs', message: describeProcfsFailure(state.error, false) });
  }
  // A misspelt target gets its suggestions as a usage error before anything is removed. Any
  // other selector that matches no entry is reported with the results, and the rest still run.
  const names = state.value.entries.map((entry) => entry.record.name);
  for (const selector of chosen) {
    if (names.includes(selector) || picomatch.scan(selector).isGlob || selector.startsWith('qemu-')) continue;
    const target = resolveTarget(selector);
    if (target.isErr() && target.error.suggestions.length > 0) return context.fail(target.error);
  }

  const report = await backend.removeMatching(chosen);
  if (report.isErr()) {
    return context.fail({ kind: 'backend', backend: 'procfs', message: describeProcfsFailure(report.error, false) });
  }
  const { removed, missing, failed } = report.value;
  // A target that matches nothing is reported by its entry name (arm64 as qemu-aarch64).
  if (options.json === true) {
    context.data(
      JSON.stringify(
        {
          removed,
          missing,
          failed: failed.map((failure) => ({ name: failure.name, error: describeProcfsFailure(failure.error, false) })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const name of removed) context.info(`${name}: ${context.err.green('removed')}`);
    for (const name of missing) context.info(`${name}: no such entry, nothing removed`);
  }
  for (const failure of failed) {
    context.info(`${failure.name}: ${context.err.red('failed')}: ${describeProcfsFailure(failure.error, false)}`);
  }
  const incomplete = failed.length > 0 || missing.length > 0;
  if (options.json !== true && (incomplete || removed.length > 0)) {
    const counts = [`${removed.length} removed`];
    if (missing.length > 0) counts.push(`${missing.length} not found`);
    if (failed.length > 0) counts.push(`${failed.length} failed`);
    context.info(`${incomplete ? 'failed' : 'done'}: ${counts.join(', ')}`);
  }
  return failed.length > 0 || missing.length > 0 ? EXIT_FAILURE : 0;
}

/** Add `qus unregister`. */
export function defineUnregisterCommand(
  program: Command,
  context: CommandContext,
  finish: (code: number) => void,
): void {
  program
    .command('unregister')
    .description('remove the named binfmt_misc entries, and only those')
    .argument('[selectors...]', "entry names (qemu-aarch64), targets by any name (arm64), or globs ('qemu-*')")
    .option('--all-qemu', 'remove every entry whose name starts with qemu-')
    .option('--root <dir>', 'binfmt_misc mount point', '/proc/sys/fs/binfmt_misc')
    .option('--json', 'print the removed, missing and failed names as JSON')
    .addHelpText(
      'after',
      `
Entries of other tools (python, WSLInterop, ...) are removed only when named.
Each selector that matches no registered entry (an entry name, a target, a glob, or the
'qemu-*' of --all-qemu) is reported as "no such entry, nothing removed" and the other
selectors are still removed. Exits 1 when a selector matched no entry or a removal failed.

Examples:
  $ sudo qus unregister arm64 riscv64
  $ sudo qus unregister 'qemu-mips*'
  $ sudo qus unregister --all-qemu`,
    )
    .action(async (selectors: string[], options: UnregisterOptions) =>
      finish(await runUnregister(context, selectors, options)),
    );
}
