import { type BackendState, matchFile, normalizeHostMachine, targets } from '@qus/core';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { entryToJson } from '../describe-match.js';
import { type HostReport, probeHost } from '../host-facts.js';
import { interpreterExists } from '../interpreter-check.js';
import { describeProcfsFailure, openProcfs } from '../procfs-backend.js';

interface StatusOptions {
  readonly json?: boolean;
  readonly root: string;
}

/**
 * OCI platforms this host runs: its own, what the probes ran natively, and every target
 * whose header an enabled entry with an existing interpreter would run.
 */
async function supportedPlatforms(state: BackendState, host: HostReport): Promise<string[]> {
  const hostCpu = normalizeHostMachine(host.machine);
  const native = new Set([hostCpu, ...host.probes.filter((probe) => probe.outcome === 'runs').map((p) => p.target)]);
  const platforms = new Set<string>();
  for (const target of targets) {
    let supported = native.has(target.name);
    if (!supported) {
      const { winner } = matchFile({ bytes: target.magic }, state.entries, { instanceEnabled: state.enabled });
      supported =
        winner !== null && (winner.record.flags.fixBinary || (await interpreterExists(winner.record.interpreter)));
    }
    if (supported) for (const platform of target.ociPlatforms) platforms.add(platform);
  }
  return [...platforms];
}

async function runStatus(context: CommandContext, options: StatusOptions): Promise<number> {
  const backend = openProcfs(options.root);
  const state = await backend.read();
  if (state.isErr()) {
    return context.fail({ kind: 'backend', backend: 'procfs', message: describeProcfsFailure(state.error, false) });
  }
  const entries = await Promise.all(
    state.value.entries.map(async (entry) => ({ entry, exists: await interpreterExists(entry.record.interpreter) })),
  );

  if (options.json === true) {
    const host = await probeHost({ entries: state.value.entries });
    context.data(
      JSON.stringify(
        {
          supported: await supportedPlatforms(state.value, host),
          emulators: state.value.entries.map((entry) => entry.record.name),
          root: backend.root,
          enabled: state.value.enabled,
          entries: entries.map(({ entry, exists }) => ({ ...entryToJson(entry), interpreterExists: exists })),
        },
        null,
        2,
      ),
    );
    return 0;
  }

  context.info(
    `binfmt_misc at ${backend.root}: ${state.value.enabled ? 'enabled' : 'disabled'}, ${state.value.entries.length} entries`,
  );
  for (const { entry, exists } of entries) {
    const record = entry.record;
    const stateText = entry.enabled ? context.out.green('enabled') : context.out.yellow('disabled');
    const flags = entryToJson(entry)['flags'] as string;
    let interpreter = record.interpreter;
    if (!exists) {
      interpreter += record.flags.fixBinary
        ? ' (not found here; the kernel keeps the file it opened at registration)'
        : context.out.red(' (not found: this entry fails every exec)');
    }
    context.data(`${context.out.bold(record.name)}  ${stateText}  flags ${flags === '' ? '-' : flags}  ${interpreter}`);
    if (record.kind === 'extension') {
      context.data(`  extension .${record.extension}`);
    } else {
      const mask = record.mask === null ? 'none' : Buffer.from(record.mask).toString('hex');
      context.data(`  offset ${record.offset}  magic ${Buffer.from(record.magic).toString('hex')}  mask ${mask}`);
    }
  }
  return 0;
}

/** Add `qus status`. */
export function defineStatusCommand(program: Command, context: CommandContext, finish: (code: number) => void): void {
  program
    .command('status')
    .description("list every binfmt_misc entry (QEMU's and others') with state, flags, match and interpreter")
    .option(
      '--json',
      'print {"supported": [...], "emulators": [...]} as tonistiigi/binfmt does, plus "entries", "root" and "enabled"',
    )
    .option('--root <dir>', 'binfmt_misc mount point', '/proc/sys/fs/binfmt_misc')
    .addHelpText(
      'after',
      `
Examples:
  $ qus status
  $ qus status --json | jq -r '.supported[]'
  $ qus status --root /mnt/binfmt`,
    )
    .action(async (options: StatusOptions) => finish(await runStatus(context, options)));
}
