import { type BinfmtDError, describeBinfmtDError } from '@qus/binfmt-d';

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
