import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { TargetName } from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { ContainerExecError } from './errors.js';
import { DEFAULT_DIRECTORY_LAYOUT, type DirectoryLayout } from './internal/host.js';
import { makeDirectories } from './internal/make-directories.js';
import { errorCode } from './internal/run-child.js';
import { type Selection, selectEmulator } from './internal/select-emulator.js';
import { quoteForShell } from './internal/shell-quote.js';

/** Options of {@link writeWrappers}. */
export interface WrapperOptions {
  /** Folder the wrappers are written to, created if missing. A wrapper is named after its program. */
  readonly outDir: string;
  /**
   * Folder and name pattern of the emulators.
   * @default { kind: 'directory', directory: '/usr/bin', suffix: '-static' }
   */
  readonly layout?: DirectoryLayout;
  /**
   * Targets to match programs against.
   * @default every catalogue target except the host's own CPU
   */
  readonly targets?: readonly string[];
  /** Guest root filesystem for dynamically linked programs, written into the wrapper as QEMU's `-L`. */
  readonly sysroot?: string;
  /**
   * Environment used to search `PATH` for programs named without a `/`, and to read `QEMU_LD_PREFIX`.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** One wrapper written by {@link writeWrappers}. */
export interface WrittenWrapper {
  /** Absolute path of the program the wrapper runs. */
  readonly program: string;
  /** Path of the wrapper. */
  readonly wrapper: string;
  /** The target the program is emulated as, or `null` when the host runs it and the wrapper calls it directly. */
  readonly target: TargetName | null;
}

/**
 * Prefix a CPU name with "a" or "an" as the name is read aloud: "an aarch64", "a mips".
 * Names read letter by letter take "an" when the letter's name starts with a vowel sound:
 * "an x86_64", "an s390x", "an sh4", "an m68k", "an hppa", "an xtensa".
 */
function withArticle(name: string): string {
  const vowelSound = /^[aeiou]/i.test(name) || /^(x86|xtensa|s390|sh4|m68k|hppa)/i.test(name);
  return `${vowelSound ? 'an' : 'a'} ${name}`;
}

/**
 * The wrapper text. Every value is single-quoted; the guest's argv[0] is the wrapper's
 * own `$0`, so a wrapper named `sh` or a symlink to it selects that busybox applet.
 * @internal
 */
export function wrapperScript(selection: Selection): string {
  if (selection.kind === 'native') {
    return [
      '#!/bin/sh',
      '# Written by @qus/container-exec: the host runs this program natively.',
      `exec ${quoteForShell(selection.path)} "$@"`,
      '',
    ].join('\n');
  }
  const sysroot = selection.sysroot === null ? '' : ` -L ${quoteForShell(selection.sysroot)}`;
  return [
    '#!/bin/sh',
    `# Written by @qus/container-exec: runs ${withArticle(selection.target.name)} program under QEMU.`,
    `exec ${quoteForShell(selection.emulator)}${sysroot} -0 "$0" ${quoteForShell(selection.path)} "$@"`,
    '',
  ].join('\n');
}

/**
 * Write one POSIX sh wrapper per program, so that running a foreign program later costs
 * one `exec` of its emulator and never starts Node.js. Every program is checked first
 * (header, emulator, sysroot) and each wrapper is written to a temporary file, so a
 * failure before the final renames changes nothing, and no wrapper is ever half-written.
 *
 * @param programs - paths, or names looked up in `PATH`
 * @returns the wrappers written, in the order of `programs`
 * @example
 * await writeWrappers(['/opt/arm64/busybox'], { outDir: '/tmp/bin' });
 * // Ok([{ program: '/opt/arm64/busybox', wrapper: '/tmp/bin/busybox', target: 'aarch64' }])
 */
export async function writeWrappers(
  programs: readonly string[],
  options: WrapperOptions,
): Promise<Result<WrittenWrapper[], ContainerExecError>> {
  const planned: { selection: Selection; wrapper: string; program: string }[] = [];
  for (const program of programs) {
    const selection = await selectEmulator(program, {
      layout: options.layout ?? DEFAULT_DIRECTORY_LAYOUT,
      targets: options.targets,
      sysroot: options.sysroot,
      env: options.env ?? process.env,
    });
    if (selection.isErr()) return err(selection.error);
    const wrapper = join(options.outDir, basename(selection.value.path));
    const clash = planned.find((entry) => entry.wrapper === wrapper);
    if (clash !== undefined) {
      return err({ kind: 'wrapper-name-conflict', name: basename(wrapper), programs: [clash.program, program] });
    }
    planned.push({ selection: selection.value, wrapper, program });
  }

  try {
    await makeDirectories(options.outDir);
  } catch (error) {
    return err({ kind: 'wrapper-write-failed', path: options.outDir, code: errorCode(error), written: [] });
  }

  const suffix = randomBytes(6).toString('hex');
  const temporary = planned.map(({ wrapper }) => join(options.outDir, `.${basename(wrapper)}.${suffix}.tmp`));
  for (const [index, entry] of planned.entries()) {
    const file = temporary[index] as string;
    try {
      await writeFile(file, wrapperScript(entry.selection), { mode: 0o755, flag: 'wx' });
    } catch (error) {
      await Promise.all(temporary.map((path) => rm(path, { force: true })));
      return err({ kind: 'wrapper-write-failed', path: entry.wrapper, code: errorCode(error), written: [] });
    }
  }
  for (const [index, entry] of planned.entries()) {
    // A rename fails only in rare cases (the wrapper path is a folder); the wrappers
    // renamed before it stay in place and the error lists them.
    try {
      await rename(temporary[index] as string, entry.wrapper);
    } catch (error) {
      await Promise.all(temporary.slice(index).map((path) => rm(path, { force: true })));
      const written = planned.slice(0, index).map(({ wrapper }) => wrapper);
      return err({ kind: 'wrapper-write-failed', path: entry.wrapper, code: errorCode(error), written });
    }
  }

  return ok(
    planned.map(({ selection, wrapper }) => ({
      program: selection.path,
      wrapper,
      target: selection.kind === 'native' ? null : selection.target.name,
    })),
  );
}
