import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { defineContainerExecCommands } from './commands/container-exec.js';
import { defineDoctorCommand } from './commands/doctor.js';
import { defineEmitCommand } from './commands/emit.js';
import { defineInspectCommand } from './commands/inspect.js';
import { defineLintCommand } from './commands/lint.js';
import { defineRegisterCommand } from './commands/register.js';
import { defineStatusCommand } from './commands/status.js';
import { defineTargetsCommand } from './commands/targets.js';
import { defineUnregisterCommand } from './commands/unregister.js';
import { createContext } from './context.js';
import { EXIT_FAILURE, EXIT_USAGE } from './errors.js';
import { rewriteBinfmtCompat } from './internal/binfmt-compat.js';
import { normalizeYesNoFlags } from './internal/yes-no.js';
import type { CliIo } from './io.js';
import { describeUnexpected, HELP_HINT } from './messages.js';

function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
    return parsed.version;
  }
  return 'unknown';
}

/**
 * Run the `qus` command line and return its exit code: 0 on success, 1 when an operation
 * failed (also partly), 2 on a usage error. Nothing is thrown: every failure is printed
 * to `io.stderr` as a message.
 *
 * @param argv - the arguments after the program name, as in `process.argv.slice(2)`
 * @param io - where output goes and which environment to read
 * @returns the exit code
 * @example
 * const code = await main(['targets', '--json'], createProcessIo());
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const context = createContext(io);
  let exitCode = 0;
  const finish = (code: number): void => {
    exitCode = code;
  };

  const program = new Command('qus')
    .description('register QEMU user-mode emulators with the Linux kernel (binfmt_misc) and inspect foreign programs')
    .version(packageVersion(), '-V, --version', 'print the qus version')
    .helpOption('-h, --help', 'print help for a command, with examples')
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError(HELP_HINT)
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(`${context.err.red('qus:')} ${text.replace(/^error: /, 'error: ')}`),
    });
  program.addHelpText(
    'after',
    `
Examples:
  $ qus register --dry-run          # the targets this host needs and the exact register lines
  $ sudo qus register               # register them with the kernel
  $ qus status                      # every binfmt_misc entry and its emulator
  $ qus inspect ./busybox           # which entry would run a program, and why the others would not

tonistiigi/binfmt's forms also work: "qus --install arm64,riscv64" (or "all") runs
"qus register", and "qus --uninstall 'qemu-*'" runs "qus unregister".`,
  );

  defineRegisterCommand(program, context, finish);
  defineUnregisterCommand(program, context, finish);
  defineStatusCommand(program, context, finish);
  defineInspectCommand(program, context, finish);
  defineTargetsCommand(program, context, finish);
  defineEmitCommand(program, context, finish);
  defineDoctorCommand(program, context, finish);
  defineLintCommand(program, context, finish);
  defineContainerExecCommands(program, context, finish);

  const rewritten = rewriteBinfmtCompat(argv);
  if (rewritten.isErr()) {
    io.stderr(`${context.err.red('qus:')} error: ${rewritten.error}\n${HELP_HINT}\n`);
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(normalizeYesNoFlags(rewritten.value), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      // "qus help X" is a request for help (exit 0), but bare "qus" prints it for a missing command (exit 2).
      if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : EXIT_USAGE;
      return EXIT_USAGE;
    }
    io.stderr(`${context.err.red('qus: error:')} ${describeUnexpected(error)}\n`);
    return EXIT_FAILURE;
  }
  return exitCode;
}
