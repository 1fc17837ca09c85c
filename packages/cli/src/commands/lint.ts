import { describeIssue, findRecordIssues, formatFlagsAsKernel, parseRegisterString } from '@qus/core';
import { type Command, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { EXIT_FAILURE } from '../errors.js';
import { type LintFormat, lintFiles } from '../lint-files.js';
import { showTypedLine } from '../messages.js';

interface LintOptions {
  readonly line?: string;
  readonly format: LintFormat;
}

function lintLine(context: CommandContext, line: string): number {
  const parsed = parseRegisterString(line);
  if (parsed.isErr()) return context.fail(parsed.error);
  const record = parsed.value.record;
  const issues = findRecordIssues(record, { delimiter: parsed.value.delimiter, strict: true });
  if (issues.length > 0) {
    // The same form as a line the parser rejects, with the qus: error: prefix of every failure.
    for (const issue of issues) {
      context.info(
        `${context.err.red('qus: error:')} invalid register line "${showTypedLine(line)}": ${describeIssue(issue)}`,
      );
    }
    return EXIT_FAILURE;
  }
  const what =
    record.kind === 'magic'
      ? `type M, offset ${record.offset}, ${record.magic.length}-byte magic`
      : `type E, extension ".${record.extension}"`;
  const flags = formatFlagsAsKernel(record.flags);
  context.data(
    `ok: ${record.name} (${what}, interpreter ${record.interpreter}, flags ${flags === '' ? 'none' : flags})`,
  );
  return 0;
}

async function runLint(context: CommandContext, files: readonly string[], options: LintOptions): Promise<number> {
  if (options.line !== undefined && files.length > 0) {
    return context.fail({
      kind: 'missing-argument',
      command: 'lint',
      what: 'either FILE arguments or --line, not both',
    });
  }
  if (options.line !== undefined) return lintLine(context, options.line);
  if (files.length === 0) {
    return context.fail({ kind: 'missing-argument', command: 'lint', what: 'a FILE or --line STRING' });
  }
  return lintFiles(context, files, options.format);
}

/** Add `qus lint`. */
export function defineLintCommand(program: Command, context: CommandContext, finish: (code: number) => void): void {
  program
    .command('lint')
    .description('check binfmt.d files, Debian binfmts import files or one register line; exit 1 on any error')
    .argument('[files...]', 'files to check; *.conf files are read as binfmt.d, others as Debian import files')
    .option('--line <string>', 'check one register line, as written to binfmt_misc/register')
    .addOption(
      new Option('--format <format>', 'how to read FILEs: auto (*.conf as binfmt.d, others as Debian), systemd, debian')
        .choices(['auto', 'systemd', 'debian'])
        .default('auto'),
    )
    .addHelpText(
      'after',
      `
Errors are printed as FILE:LINE: message on stderr.

Examples:
  $ qus lint /etc/binfmt.d/*.conf
  $ qus lint /usr/share/binfmts/qemu-aarch64
  $ qus lint --line ':qemu-aarch64:M::\\x7fELF\\x02:\\xff\\xff\\xff\\xff\\xff:/usr/bin/qemu-aarch64-static:F'`,
    )
    .action(async (files: string[], options: LintOptions) => finish(await runLint(context, files, options)));
}
