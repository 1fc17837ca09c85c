import { err, ok, type Result } from 'neverthrow';
import type { Target } from './catalogue.js';
import { type BinfmtFlags, createMagicRecord, type MagicRecord } from './record.js';
import { resolveTarget, type UnknownTargetError } from './resolve-target.js';
import { type InvalidRecordError, type ValidationOptions, validateRecord } from './validate.js';

/**
 * The folder and file names of the emulators.
 *
 * - `directory`: `<directory>/qemu-<cpu><suffix>`, as `qemu-binfmt-conf.sh --qemu-path
 *   DIR --qemu-suffix SUFFIX` names them (Debian's and Fedora's packages install
 *   `/usr/bin/qemu-<cpu>-static`).
 * - `debian-binfmt-p`: Debian's `/usr/libexec/qemu-binfmt/<cpu>-binfmt-P` links, whose
 *   patched QEMU expects the argument layout of `P` on any kernel, so `P` is always set.
 */
export type InterpreterLayout =
  | { readonly kind: 'directory'; readonly directory: string; readonly suffix?: string }
  | { readonly kind: 'debian-binfmt-p' };

/** `/usr/bin/qemu-<cpu>-static`, where Debian, Ubuntu and Fedora install the static emulators. */
export const DEFAULT_LAYOUT: InterpreterLayout = Object.freeze({
  kind: 'directory',
  directory: '/usr/bin',
  suffix: '-static',
});

/** Directory of Debian's `-binfmt-P` interpreter links. */
export const DEBIAN_BINFMT_P_DIRECTORY = '/usr/libexec/qemu-binfmt';

/** Options of {@link register}. */
export interface RegisterOptions {
  /** @default DEFAULT_LAYOUT */
  readonly layout?: InterpreterLayout;
  /** Flags for every record, as letters (`'F'`, `'OCF'`) or booleans. */
  readonly flags?: string | Partial<BinfmtFlags>;
  /**
   * Prefix of the entry names.
   * @default 'qemu-'
   */
  readonly namePrefix?: string;
  /** Rules to validate each record with (the kernel to target, strictness). */
  readonly validation?: ValidationOptions;
}

/** The path of a target's emulator under a layout. */
export function interpreterPath(target: Target, layout: InterpreterLayout = DEFAULT_LAYOUT): string {
  const cpu = target.interpreterName.slice('qemu-'.length);
  if (layout.kind === 'debian-binfmt-p') return `${DEBIAN_BINFMT_P_DIRECTORY}/${cpu}-binfmt-P`;
  const directory = layout.directory.endsWith('/') ? layout.directory.slice(0, -1) : layout.directory;
  return `${directory}/${target.interpreterName}${layout.suffix ?? ''}`;
}

/** The record for one target, not yet validated. */
export function recordForTarget(target: Target, options: RegisterOptions = {}): MagicRecord {
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const base = typeof options.flags === 'string' ? options.flags : '';
  const object = typeof options.flags === 'object' ? options.flags : {};
  const preserve = layout.kind === 'debian-binfmt-p';
  return createMagicRecord({
    name: `${options.namePrefix ?? 'qemu-'}${target.name}`,
    magic: target.magic,
    mask: target.mask,
    interpreter: interpreterPath(target, layout),
    flags: {
      preserveArgv0: base.includes('P') || object.preserveArgv0 === true || preserve,
      openBinary: base.includes('O') || object.openBinary === true,
      credentials: base.includes('C') || object.credentials === true,
      fixBinary: base.includes('F') || object.fixBinary === true,
    },
  });
}

/**
 * Build validated binfmt_misc records for targets, named by any accepted name or given
 * as catalogue entries. Nothing touches the kernel: pass the records to a backend.
 *
 * @example
 * import { register } from '@qus/core';
 * const records = register(['arm64', 'linux/riscv64'], { flags: 'F' });
 * // Ok([{ name: 'qemu-aarch64', interpreter: '/usr/bin/qemu-aarch64-static', … }, …])
 */
export function register(
  names: readonly (Target | string)[],
  options: RegisterOptions = {},
): Result<MagicRecord[], UnknownTargetError | InvalidRecordError> {
  const records: MagicRecord[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const target = typeof name === 'string' ? resolveTarget(name) : ok(name);
    if (target.isErr()) return err(target.error);
    // Two names of one target (arm64 and aarch64) give one record.
    if (seen.has(target.value.name)) continue;
    seen.add(target.value.name);
    const record = recordForTarget(target.value, options);
    const valid = validateRecord(record, options.validation);
    if (valid.isErr()) return err(valid.error);
    records.push(record);
  }
  return ok(records);
}
