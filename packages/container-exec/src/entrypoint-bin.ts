#!/usr/bin/env node
// The container entrypoint: `qus-container-entrypoint [options] [-- command [args…]]`.
// Registers the image's emulators, prints one line per target and a summary, then runs
// the command if one follows `--`. The exit status is non-zero when anything failed.
import { parseArgs } from 'node:util';
import { runEntrypoint } from './entrypoint.js';
import { describeContainerExecError } from './messages.js';

const USAGE = `Usage: qus-container-entrypoint [options] [-- command [argument...]]

Registers the QEMU emulators of this image with the kernel's binfmt_misc (flag F, so
they keep working after the container exits, and P on Linux 5.12 and later), then runs
the command, if given. The report goes to standard output, or to standard error when a
command follows.

Options:
  --emulators DIR   folder of the emulators, named qemu-<cpu><suffix> (default /usr/bin)
  --suffix TEXT     suffix of the emulator names (default -static)
  --root DIR        binfmt_misc mount point, mounted if needed (default /proc/sys/fs/binfmt_misc)
  --targets LIST    comma-separated targets to register (default: every emulator in the image
                    except the host's own family)
  --ignore-family   also register targets of the host's family (i386 on x86-64, arm on aarch64)
  --flags LETTERS   entry flags (default PF on Linux 5.12 and later, F before)
  --help            print this text`;

function fail(message: string): never {
  process.stderr.write(`qus-container-entrypoint: ${message}\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const separator = argv.indexOf('--');
const optionArgs = separator === -1 ? argv : argv.slice(0, separator);
const command = separator === -1 ? undefined : argv.slice(separator + 1);

const VALUE_OPTIONS = new Set(['--emulators', '--suffix', '--root', '--targets', '--flags']);

/**
 * Join `--suffix -static` into `--suffix=-static`: parseArgs rejects an option value that
 * starts with `-`, and `-static` is the usual suffix.
 */
function joinOptionValues(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    const next = args[index + 1];
    if (VALUE_OPTIONS.has(arg) && next !== undefined) {
      joined.push(`${arg}=${next}`);
      index += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

let values: ReturnType<typeof parse>['values'];
function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      emulators: { type: 'string', default: '/usr/bin' },
      suffix: { type: 'string', default: '-static' },
      root: { type: 'string' },
      targets: { type: 'string' },
      'ignore-family': { type: 'boolean', default: false },
      flags: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
}
try {
  values = parse(joinOptionValues(optionArgs)).values;
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const report = await runEntrypoint({
  layout: { kind: 'directory', directory: values.emulators, suffix: values.suffix },
  ignoreFamily: values['ignore-family'],
  ...(values.root === undefined ? {} : { root: values.root }),
  ...(values.targets === undefined ? {} : { targets: values.targets.split(',').filter((name) => name !== '') }),
  ...(values.flags === undefined ? {} : { flags: values.flags }),
  ...(command === undefined ? {} : { command }),
  // With a command, the report goes to standard error so that the command's output stays clean.
  print: (line) => (command === undefined ? process.stdout : process.stderr).write(`${line}\n`),
});
if (report.isErr()) {
  process.stderr.write(`qus-container-entrypoint: ${describeContainerExecError(report.error)}\n`);
  // An unknown --targets name is a usage error, like an unknown option.
  process.exit(report.error.kind === 'unknown-target' ? 2 : 1);
}
process.exit(report.value.exitCode);
