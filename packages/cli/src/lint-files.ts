import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeBinfmtDError, parseBinfmtDFile, parseDebianImportFile } from '@qus/binfmt-d';
import { type BinfmtRecord, describeIssue, findRecordIssues } from '@qus/core';
import { describeLintFailure } from './binfmt-d-messages.js';
import type { CommandContext } from './context.js';
import { EXIT_FAILURE } from './errors.js';
import { describeBinaryFile, describeReadFailure, errnoCode } from './messages.js';

/** The parser for a file: binfmt.d for `*.conf` and Debian's import format otherwise, unless forced. */
export type LintFormat = 'systemd' | 'debian' | 'auto';

function safetyIssues(record: BinfmtRecord, delimiter: string): string[] {
  return findRecordIssues(record, { delimiter, strict: true })
    .filter((issue) => issue.severity === 'safety')
    .map(describeIssue);
}

/** How many leading bytes are searched for a NUL byte, as grep and git do to tell binary from text. */
const BINARY_PROBE_BYTES = 8000;

async function lintOne(context: CommandContext, path: string, format: LintFormat): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    context.info(describeReadFailure(path, errnoCode(error), 'file'));
    return 1;
  }
  // Text configuration files contain no NUL byte, while programs and most other binary files
  // have one within their first bytes.
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
    context.info(describeBinaryFile(path, bytes));
    return 1;
  }
  const text = bytes.toString('utf8');
  const systemd = format === 'systemd' || (format === 'auto' && path.endsWith('.conf'));
  if (systemd) {
    const parsed = parseBinfmtDFile(text, path);
    // Kernel-rule errors and safety issues are printed together in line order.
    const problems: { line: number; text: string }[] = [];
    for (const error of parsed.errors) {
      problems.push({ line: 'line' in error ? error.line : 0, text: describeLintFailure(error) });
    }
    for (const rule of parsed.rules) {
      for (const message of safetyIssues(rule.record, rule.delimiter)) {
        problems.push({ line: rule.line, text: `${path}:${rule.line}: ${message}` });
      }
    }
    problems.sort((left, right) => left.line - right.line);
    for (const problem of problems) context.info(problem.text);
    if (problems.length === 0) context.data(`${path}: ok, ${parsed.rules.length} rule(s)`);
    return problems.length;
  }
  const parsed = parseDebianImportFile(text, basename(path));
  if (parsed.isErr()) {
    context.info(`${path}: ${describeBinfmtDError(parsed.error)}`);
    return 1;
  }
  const issues = safetyIssues(parsed.value.record, ':');
  for (const message of issues) context.info(`${path}: ${message}`);
  if (issues.length === 0) context.data(`${path}: ok, entry ${parsed.value.record.name}`);
  return issues.length;
}

/**
 * Check binfmt.d files and Debian import files, printing each problem as `FILE:LINE:
 * message` (Debian files have no line) on stderr and one `ok` line per good file on stdout.
 */
export async function lintFiles(
  context: CommandContext,
  files: readonly string[],
  format: LintFormat,
): Promise<number> {
  let problems = 0;
  for (const path of files) problems += await lintOne(context, path, format);
  return problems > 0 ? EXIT_FAILURE : 0;
}
