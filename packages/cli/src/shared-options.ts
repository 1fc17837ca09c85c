import { isAbsolute, resolve } from 'node:path';
import { type BinfmtFlags, createFlags } from '@qus/core';
import { type Command, Option } from 'commander';
import type { EmulatorOptions } from './emulator-layout.js';

/** The flag options as the parser returns them. */
export interface FlagOptionValues {
  readonly persistent: 'yes' | 'no';
  readonly credential: 'yes' | 'no';
  readonly preserveArgv0: 'yes' | 'no';
  readonly openBinary: 'yes' | 'no';
}

/** Add `--persistent`, `--credential`, `--preserve-argv0` and `--open-binary`, each `yes|no` or bare. */
export function addFlagOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--persistent <yes|no>',
        'flag F: the kernel opens the emulator once, so it works inside containers and chroots',
      )
        .choices(['yes', 'no'])
        .default('yes'),
    )
    .addOption(
      new Option('--credential <yes|no>', 'flag C (implies O): setuid foreign programs run with their owner')
        .choices(['yes', 'no'])
        .default('no'),
    )
    .addOption(
      new Option(
        '--preserve-argv0 <yes|no>',
        "flag P: pass the original argv[0] (needs Linux 5.12, or Debian's -binfmt-P emulators, which always get P)",
      )
        .choices(['yes', 'no'])
        .default('no'),
    )
    .addOption(
      new Option('--open-binary <yes|no>', 'flag O: the kernel opens the program and passes its descriptor')
        .choices(['yes', 'no'])
        .default('no'),
    );
}

/** Convert the flag options to binfmt_misc flags. */
export function flagsFrom(values: FlagOptionValues): BinfmtFlags {
  return createFlags({
    fixBinary: values.persistent === 'yes',
    credentials: values.credential === 'yes',
    preserveArgv0: values.preserveArgv0 === 'yes',
    openBinary: values.openBinary === 'yes',
  });
}

/** The emulator-location options as the parser returns them. */
export interface EmulatorOptionValues {
  readonly qemuPath?: string;
  readonly qemuSuffix?: string;
}

/** Add `--qemu-path` and `--qemu-suffix`. */
export function addEmulatorOptions(command: Command): Command {
  return command
    .option(
      '--qemu-path <dir>',
      'folder of the emulators, named qemu-<cpu><suffix>; a relative path is resolved against the current directory (default: /usr/bin, else Debian /usr/libexec/qemu-binfmt)',
    )
    .option('--qemu-suffix <suffix>', 'suffix after qemu-<cpu> in emulator file names (default: -static)');
}

/**
 * Keep only the emulator options that were given, for `exactOptionalPropertyTypes`. A relative
 * `--qemu-path` is resolved against the current directory, because the kernel needs an absolute
 * interpreter path.
 */
export function emulatorOptionsFrom(values: EmulatorOptionValues): EmulatorOptions {
  return {
    ...(values.qemuPath === undefined ? {} : { qemuPath: resolve(values.qemuPath) }),
    ...(values.qemuSuffix === undefined ? {} : { qemuSuffix: values.qemuSuffix }),
  };
}

/** Describe how a relative `--qemu-path` was resolved, or return `null` for an absolute or missing one. */
export function describeResolvedQemuPath(values: EmulatorOptionValues): string | null {
  if (values.qemuPath === undefined || isAbsolute(values.qemuPath)) return null;
  return `emulators: ${resolve(values.qemuPath)} (--qemu-path ${values.qemuPath}, resolved against the current directory)`;
}

/** Add `--ignore-family yes|no`, qemu-binfmt-conf.sh's option for QEMU's family rule. */
export function addIgnoreFamilyOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--ignore-family <yes|no>',
      "without targets: also plan targets of the host's family (arm on aarch64, i386 on x86_64) when the probe cannot tell whether the host runs them (default: yes with --all, else no)",
    ).choices(['yes', 'no']),
  );
}

/** Convert `--ignore-family` to the plan request's `ignoreFamily`, left out when the option was not given. */
export function optionalIgnoreFamily(value: 'yes' | 'no' | undefined): { readonly ignoreFamily?: boolean } {
  return value === undefined ? {} : { ignoreFamily: value === 'yes' };
}
