import { targetAliases, targets } from '@qus/core';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { formatTable } from '../internal/table.js';

interface TargetsOptions {
  readonly json?: boolean;
}

function runTargets(context: CommandContext, options: TargetsOptions): number {
  const aliases = targetAliases();
  if (options.json === true) {
    const rows = targets.map((target) => ({
      name: target.name,
      family: target.family,
      emulator: target.interpreterName,
      magic: target.magicText,
      mask: target.maskText,
      debianArchitectures: target.debianArchitectures,
      ociPlatforms: target.ociPlatforms,
      unameMachines: target.unameMachines,
      aliases: aliases.filter((alias) => alias.target === target).map((alias) => alias.name),
    }));
    context.data(JSON.stringify(rows, null, 2));
    return 0;
  }
  const rows = targets.map((target) => [
    target.name,
    target.interpreterName,
    target.debianArchitectures.join(',') || '-',
    target.ociPlatforms.join(',') || '-',
    target.unameMachines.join(',') || '-',
  ]);
  const header = ['TARGET', 'EMULATOR', 'DEBIAN', 'OCI', 'UNAME -M'].map((title) => context.out.bold(title));
  for (const line of formatTable([header, ...rows])) context.data(line);
  return 0;
}

/** Add `qus targets`. */
export function defineTargetsCommand(program: Command, context: CommandContext, finish: (code: number) => void): void {
  program
    .command('targets')
    .description('list every QEMU target and each name it is accepted by (QEMU, Debian, OCI platform, uname -m)')
    .option('--json', 'print the catalogue as JSON, with magic, mask and every alias')
    .addHelpText(
      'after',
      `
Examples:
  $ qus targets
  $ qus targets --json | jq -r '.[] | select(.name == "aarch64") | .aliases[]'`,
    )
    .action((options: TargetsOptions) => finish(runTargets(context, options)));
}
