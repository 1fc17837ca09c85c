import { type BinfmtDError, describeBinfmtDError } from '@qus/binfmt-d';
import { describeIssue } from '@qus/core';
import { showTypedLine } from './messages.js';

/** Show a file's rule as written, cut after 72 characters so that the location and the fix stay readable. */
function showRule(text: string): string {
  return `"${showTypedLine(text.length > 72 ? `${text.slice(0, 72)}…` : text)}"`;
}

/**
 * Describe a binfmt.d error found while checking a file. Unlike the library's wording, a rule
 * is quoted as written in the file, so `\x7fELF` keeps its single backslash.
 */
export function describeLintFailure(error: BinfmtDError): string {
  if (error.kind === 'invalid-line') {
    return `${error.path}:${error.line}: rule ${showRule(error.text)} is invalid: ${describeIssue(error.issue)}. systemd-binfmt skips this line; fix or delete it`;
  }
  if (error.kind === 'comment-delimiter') {
    return `${error.path}:${error.line}: rule ${showRule(error.text)} uses "${showTypedLine(error.delimiter)}" as delimiter, so systemd-binfmt reads it as a comment and never registers it; use ":" as delimiter`;
  }
  return describeBinfmtDError(error);
}

/** Describe a binfmt-d error with the CLI's option names in place of the library's. */
export function describeFileFailure(error: BinfmtDError): string {
  if (error.kind === 'file-conflict') {
    return `${error.path} already exists with other content; run with --force to overwrite it, or --dry-run to see the difference`;
  }
  if (error.kind === 'not-generated') {
    return `${error.path} was not written by qus, so it is left alone; run with --force to delete it anyway`;
  }
  return describeBinfmtDError(error);
}
