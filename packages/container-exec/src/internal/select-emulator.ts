import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ElfHeader, matchFile, readElfHeader, type Target } from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import which from 'which';
import type { ContainerExecError } from '../errors.js';
import { type DirectoryLayout, isNativeHeader, readHostIdentity, targetRecords } from './host.js';

/** How a program runs: directly, or under an emulator. */
export type Selection =
  | { readonly kind: 'native'; readonly path: string; readonly header: ElfHeader }
  | {
      readonly kind: 'emulated';
      /** Absolute path of the program. */
      readonly path: string;
      readonly header: ElfHeader;
      readonly target: Target;
      readonly emulator: string;
      /** The folder passed to QEMU with `-L`, or `null` when none is needed or `QEMU_LD_PREFIX` gives it. */
      readonly sysroot: string | null;
    };

/** Options every way of running a program shares. */
export interface SelectOptions {
  readonly layout: DirectoryLayout;
  readonly targets?: readonly string[] | undefined;
  readonly sysroot?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Find a program the way `execvp` does: a name containing `/` is a path, any other name
 * is looked up in `PATH`. The result is absolute.
 * @internal
 */
export async function resolveProgram(
  program: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Result<string, ContainerExecError>> {
  if (program.includes('/')) return ok(resolve(program));
  const searchPath = env['PATH'] ?? '';
  const found = await which(program, { path: searchPath, nothrow: true });
  if (found === null) return err({ kind: 'program-not-found', name: program, searchPath });
  return ok(resolve(found));
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function chooseSysroot(
  path: string,
  loader: string,
  options: SelectOptions,
): Promise<Result<string | null, ContainerExecError>> {
  if (options.sysroot !== undefined) {
    const folder = await stat(options.sysroot).catch(() => null);
    if (folder === null || !folder.isDirectory()) return err({ kind: 'sysroot-not-found', sysroot: options.sysroot });
    if (!(await exists(join(options.sysroot, loader)))) {
      return err({ kind: 'loader-missing', path, loader, sysroot: options.sysroot });
    }
    return ok(options.sysroot);
  }
  // QEMU reads QEMU_LD_PREFIX itself, so it needs no -L; check it as a sysroot all the same.
  const prefix = options.env['QEMU_LD_PREFIX'];
  if (prefix !== undefined && prefix !== '') {
    if (!(await exists(join(prefix, loader)))) return err({ kind: 'loader-missing', path, loader, sysroot: prefix });
    return ok(null);
  }
  // QEMU falls back to the plain path when the loader is not under its prefix, so a
  // host with the foreign libc installed (Debian multiarch) needs no sysroot.
  if (await exists(loader)) return ok(null);
  return err({ kind: 'sysroot-missing', path, loader });
}

/**
 * Read a program's header and pick the emulator the kernel would run it with, given
 * records for the catalogue under `layout`: the newest matching record wins. A program
 * no record matches runs directly when the host's CPU runs it, and is an error otherwise.
 * @internal
 */
export async function selectEmulator(
  program: string,
  options: SelectOptions,
): Promise<Result<Selection, ContainerExecError>> {
  const resolved = await resolveProgram(program, options.env);
  if (resolved.isErr()) return err(resolved.error);
  const path = resolved.value;

  const header = await readElfHeader(path, { programHeaders: true });
  if (header.isErr()) return err({ kind: 'invalid-program', error: header.error });

  const records = targetRecords(options.targets, options.layout);
  if (records.isErr()) return err(records.error);
  const entries = records.value.map(({ record }) => ({ record, enabled: true }));
  const { winner } = matchFile({ bytes: header.value.bytes, path }, entries);

  if (winner === null) {
    if (isNativeHeader(header.value, await readHostIdentity()))
      return ok({ kind: 'native', path, header: header.value });
    return err({
      kind: 'no-target',
      path,
      machineName: header.value.machineName,
      elfClass: header.value.class,
      byteOrder: header.value.byteOrder,
    });
  }

  const chosen = records.value.find(({ record }) => record === winner.record);
  if (chosen === undefined) throw new Error('matchFile returned a record that was not given to it');
  const emulator = chosen.record.interpreter;
  if (!(await isExecutable(emulator))) {
    return err({ kind: 'emulator-missing', path, target: chosen.target.name, emulator });
  }

  let sysroot: string | null = null;
  const linkage = header.value.linkage;
  if (linkage?.kind === 'dynamic') {
    const chosenSysroot = await chooseSysroot(path, linkage.interpreter, options);
    if (chosenSysroot.isErr()) return err(chosenSysroot.error);
    sysroot = chosenSysroot.value;
  }
  return ok({ kind: 'emulated', path, header: header.value, target: chosen.target, emulator, sysroot });
}

/**
 * The arguments QEMU's linux-user mode takes to run a program: a sysroot with `-L`,
 * the guest's argv[0] with `-0`, then the program and its arguments. The program path is
 * absolute, so it never starts with `-` and cannot be read as a QEMU option.
 * @internal
 */
export function emulatorArguments(
  selection: Extract<Selection, { kind: 'emulated' }>,
  argv0: string,
  args: readonly string[],
): string[] {
  const sysroot = selection.sysroot === null ? [] : ['-L', selection.sysroot];
  return [...sysroot, '-0', argv0, selection.path, ...args];
}
