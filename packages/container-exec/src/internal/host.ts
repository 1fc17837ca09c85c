import { machine } from 'node:os';
import {
  type ElfHeader,
  type InterpreterLayout,
  type MagicRecord,
  planHostTargets,
  readElfHeader,
  recordForTarget,
  resolveTarget,
  type Target,
} from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { ContainerExecError } from '../errors.js';

/** A layout that names emulators `<directory>/qemu-<cpu><suffix>`, the only kind this package runs directly. */
export type DirectoryLayout = Extract<InterpreterLayout, { readonly kind: 'directory' }>;

/** A catalogue target with the record the kernel would match it by. */
export interface TargetRecord {
  readonly target: Target;
  readonly record: MagicRecord;
}

/** ELF fields that identify what a CPU runs natively. */
export interface HostIdentity {
  readonly class: 32 | 64;
  readonly byteOrder: 'little' | 'big';
  readonly machine: number;
}

let hostIdentity: HostIdentity | undefined;

/**
 * Read the ELF identity of the running Node.js binary, which is by definition a program
 * this host runs natively.
 * @internal
 */
export async function readHostIdentity(): Promise<HostIdentity> {
  if (hostIdentity !== undefined) return hostIdentity;
  const header = await readElfHeader(process.execPath);
  if (header.isErr()) {
    // Node.js itself always has a valid ELF header on Linux; anything else is a broken install.
    throw new Error(`cannot read the ELF header of ${process.execPath}: ${header.error.kind}`);
  }
  hostIdentity = { class: header.value.class, byteOrder: header.value.byteOrder, machine: header.value.machine };
  return hostIdentity;
}

/** @internal */
export function isNativeHeader(header: ElfHeader, host: HostIdentity): boolean {
  return header.class === host.class && header.byteOrder === host.byteOrder && header.machine === host.machine;
}

/**
 * Build the records to match programs against, oldest first: the named targets, or
 * every catalogue target except the host's own CPU. Same-family targets (i386 on an
 * x86-64 host, arm on aarch64) are included, because asking for emulation is explicit.
 * @internal
 */
export function targetRecords(
  names: readonly string[] | undefined,
  layout: DirectoryLayout,
): Result<TargetRecord[], ContainerExecError> {
  let chosen: Target[];
  if (names === undefined) {
    const plan = planHostTargets({ machine: machine() }, { ignoreFamily: true });
    if (plan.isErr()) {
      return err(
        plan.error.kind === 'unknown-host'
          ? { kind: 'unknown-host', machine: plan.error.machine }
          : { kind: 'unknown-target', error: plan.error },
      );
    }
    chosen = [...plan.value.targets];
  } else {
    chosen = [];
    for (const name of names) {
      const target = resolveTarget(name);
      if (target.isErr()) return err({ kind: 'unknown-target', error: target.error });
      if (!chosen.includes(target.value)) chosen.push(target.value);
    }
  }
  return ok(chosen.map((target) => ({ target, record: recordForTarget(target, { layout }) })));
}

/** `/usr/bin/qemu-<cpu>-static`, where Debian, Ubuntu and Fedora install the static emulators. */
export const DEFAULT_DIRECTORY_LAYOUT: DirectoryLayout = Object.freeze({
  kind: 'directory',
  directory: '/usr/bin',
  suffix: '-static',
});
