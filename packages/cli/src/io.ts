import pc from 'picocolors';

/** The output streams and environment of one CLI run, passed in so that tests can call the CLI in-process. */
export interface CliIo {
  /** Writes data (tables, JSON, register lines). */
  readonly stdout: (text: string) => void;
  /** Writes messages: progress, warnings and errors. */
  readonly stderr: (text: string) => void;
  /** Environment variables, such as `NO_COLOR`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Whether stderr is a terminal; colour is used only then.
   * @default false
   */
  readonly stderrIsTTY?: boolean;
  /**
   * Whether stdout is a terminal.
   * @default false
   */
  readonly stdoutIsTTY?: boolean;
}

/** The colour functions the CLI uses; plain identity functions when colour is off. */
export type Colors = Pick<ReturnType<typeof pc.createColors>, 'red' | 'yellow' | 'green' | 'bold' | 'dim'>;

/**
 * Decide whether to colour a stream: only on a terminal, and never when `NO_COLOR` is set
 * to any non-empty value (https://no-color.org).
 */
export function colorsFor(isTTY: boolean | undefined, env: CliIo['env']): Colors {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  return pc.createColors(isTTY === true && !noColor);
}

/**
 * Build the io of the real process: `process.stdout`, `process.stderr` and `process.env`.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), createProcessIo());
 */
export function createProcessIo(): CliIo {
  // A reader that stops early (`qus targets | head`) closes the pipe. Like other Unix tools,
  // qus then stops quietly instead of failing with an unhandled EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
