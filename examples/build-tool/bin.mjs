#!/usr/bin/env node
// Usage: plan-binfmt --out DIR [--qemu-path DIR] [--flags LETTERS] [--dry-run] PROGRAM...
// Writes one systemd binfmt.d file per QEMU target the programs need; exits 1 and writes
// nothing when a program is not an ELF program of a known target.
import { parseArgs } from 'node:util';
import { planBinfmtFiles } from './plan.mjs';

const usage = 'usage: plan-binfmt --out DIR [--qemu-path DIR] [--flags LETTERS] [--dry-run] PROGRAM...';

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'qemu-path': { type: 'string' },
      flags: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
} catch (error) {
  process.stderr.write(`plan-binfmt: ${error.message}\n${usage}\n`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.out === undefined || positionals.length === 0) {
  process.stderr.write(`plan-binfmt: give --out DIR and at least one PROGRAM\n${usage}\n`);
  process.exit(2);
}

const result = await planBinfmtFiles(positionals, {
  directory: values.out,
  ...(values['qemu-path'] === undefined ? {} : { qemuPath: values['qemu-path'] }),
  ...(values.flags === undefined ? {} : { flags: values.flags }),
  dryRun: values['dry-run'] === true,
});
for (const line of result.lines) (result.ok ? process.stdout : process.stderr).write(`${line}\n`);
process.exitCode = result.ok ? 0 : 1;
