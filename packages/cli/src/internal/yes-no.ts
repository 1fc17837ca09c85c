import { resolveTarget } from '@qus/core';

/** Options that take `qemu-binfmt-conf.sh`'s `yes|no` value or stand alone as a switch. */
const YES_NO_OPTIONS = new Set([
  '--persistent',
  '--credential',
  '--preserve-argv0',
  '--open-binary',
  '--ignore-family',
]);

/**
 * Return whether the word after a yes|no option starts something else: another option, or
 * a target name, so that the option is a bare switch.
 */
function startsNextArgument(word: string | undefined): boolean {
  return word === undefined || word.startsWith('-') || resolveTarget(word).isOk();
}

/**
 * Rewrite `--persistent yes` to `--persistent=yes` and a bare `--persistent` to
 * `--persistent=yes`, so that the parser can declare these options with a required value
 * and never mistakes a following target name for the value. Any other word after the
 * option (`--persistent maybe`) becomes its value, which the parser then rejects as
 * invalid. Arguments after `--` are left alone.
 * @internal
 */
export function normalizeYesNoFlags(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (argument === '--') {
      result.push(...argv.slice(index));
      break;
    }
    if (!YES_NO_OPTIONS.has(argument)) {
      result.push(argument);
      continue;
    }
    const next = argv[index + 1];
    if (startsNextArgument(next)) {
      result.push(`${argument}=yes`);
    } else {
      result.push(`${argument}=${next}`);
      index += 1;
    }
  }
  return result;
}
