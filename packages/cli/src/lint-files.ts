import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeBinfmtDError, parseBinfmtDFile, parseDebianImportFile } from '@qus/binfmt-d';
import { type BinfmtRecord, describeIssue, findRecordIssues } from '@qus/core';
import type { CommandContext } from './context.js';
import { EXIT_FAILURE } from './errors.js';

/** Which parser a file gets: binfmt.d for `*.conf`, Debian's import format otherwise, unless forced. */
export type LintFormat = 'systemd' | 'debian' | 'auto';

function safetyIssues(record: BinfmtRecord, delimiter: string): string[] {
  return findRecordIssues(record, { delimiter, strict: true })
    .filter((issue) => issue.severity === 'safety')
    .map(describeIssue);
}

async function lintOne(context: CommandContext, path: string, format: LintFormat): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'EIO';
    context.info(`${path}: cannot be read (${code}); check the path and its permissions`);
    return 1;
  }
  const systemd = format === 'systemd' || (format === 'auto' && path.endsWith('.conf'));
  let problems = 0;
  if (systemd) {
    const parsed = parseBinfmtDFile(text, path);
    for (const error of parsed.errors) {
      context.info(describeBinfmtDError(error));
      problems += 1;
    }
    for (const rule of parsed.rules) {
      for (const message of safetyIssues(rule.record, rule.delimiter)) {
        context.info(`${path}:${rule.line}: ${message}`);
        problems += 1;
      }
    }
    if (problems === 0) context.data(`${path}: ok, ${parsed.rules.length} rule(s)`);
    return problems;
  }
  const parsed = parseDebianImportFile(text, basename(path));
  if (parsed.isErr()) {
    context.info(`${path}: ${describeBinfmtDError(parsed.error)}`);
    return 1;
  }
  for (const message of safetyIssues(parsed.value.record, ':')) {
    context.info(`${path}: ${message}`);
    problems += 1;
  }
  if (problems === 0) context.data(`${path}: ok, entry ${parsed.value.record.name}`);
  return problems;
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
