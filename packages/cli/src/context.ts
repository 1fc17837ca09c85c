import type { CliError } from './errors.js';
import { EXIT_FAILURE, EXIT_USAGE, isUsageError } from './errors.js';
import { type CliIo, type Colors, colorsFor } from './io.js';
import { describeCliError } from './messages.js';

/** The io, colours and print helpers every command receives. */
export interface CommandContext {
  readonly io: CliIo;
  /** Colours for stdout; plain unless stdout is a terminal and NO_COLOR is unset. */
  readonly out: Colors;
  /** Colours for stderr. */
  readonly err: Colors;
  /** Write one line of data to stdout. */
  data(line: string): void;
  /** Write one line of information to stderr. */
  info(line: string): void;
  /** Write a warning to stderr. */
  warn(line: string): void;
  /** Print an error to stderr and return its exit code. */
  fail(error: CliError): number;
}

/** Build the context of one CLI run. */
export function createContext(io: CliIo): CommandContext {
  const out = colorsFor(io.stdoutIsTTY, io.env);
  const err = colorsFor(io.stderrIsTTY, io.env);
  return {
    io,
    out,
    err,
    data: (line) => io.stdout(`${line}\n`),
    info: (line) => io.stderr(`${line}\n`),
    warn: (line) => io.stderr(`${err.yellow('warning:')} ${line}\n`),
    fail: (error) => {
      io.stderr(`${err.red('qus: error:')} ${describeCliError(error)}\n`);
      return isUsageError(error) ? EXIT_USAGE : EXIT_FAILURE;
    },
  };
}
