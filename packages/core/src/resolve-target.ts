import { distance } from 'fastest-levenshtein';
import { err, ok, type Result } from 'neverthrow';
import { type Target, targets } from './catalogue.js';

/** A name that is no target's QEMU, Debian, OCI platform or `uname -m` name. */
export interface UnknownTargetError {
  readonly kind: 'unknown-target';
  readonly name: string;
  /** The closest accepted names, best first (at most 3). */
  readonly suggestions: readonly string[];
}

/** The naming scheme a name belongs to. */
export type TargetNameKind = 'qemu' | 'debian' | 'oci' | 'uname';

/** One accepted name of a target. */
export interface TargetAlias {
  readonly name: string;
  readonly kind: TargetNameKind;
  readonly target: Target;
}

function buildAliases(): Map<string, TargetAlias> {
  const aliases = new Map<string, TargetAlias>();
  const add = (name: string, kind: TargetNameKind, target: Target): void => {
    const key = name.toLowerCase();
    // Earlier schemes win: a QEMU name is never shadowed by another scheme's spelling.
    if (!aliases.has(key)) aliases.set(key, { name, kind, target });
  };
  for (const target of targets) add(target.name, 'qemu', target);
  for (const target of targets) for (const name of target.debianArchitectures) add(name, 'debian', target);
  for (const target of targets) {
    for (const platform of target.ociPlatforms) {
      add(platform, 'oci', target);
      // tonistiigi/binfmt and docker accept the platform without its "linux/" prefix.
      add(platform.slice('linux/'.length), 'oci', target);
    }
  }
  for (const target of targets) for (const name of target.unameMachines) add(name, 'uname', target);
  return aliases;
}

const aliasTable = buildAliases();

/** Every accepted name and the target it resolves to, QEMU names first. */
export function targetAliases(): readonly TargetAlias[] {
  return [...aliasTable.values()];
}

/**
 * Resolve any name users type for a target: a QEMU name (`aarch64`), a Debian
 * architecture (`arm64`, `armhf`), an OCI platform (`linux/arm/v7`, `arm/v7`) or a
 * `uname -m` value (`armv7l`). Case does not matter.
 *
 * @example
 * resolveTarget('linux/arm64').map((target) => target.name) // Ok('aarch64')
 * resolveTarget('aarch46') // Err({ kind: 'unknown-target', suggestions: ['aarch64', …] })
 */
export function resolveTarget(name: string): Result<Target, UnknownTargetError> {
  const alias = aliasTable.get(name.trim().toLowerCase());
  if (alias !== undefined) return ok(alias.target);
  return err({ kind: 'unknown-target', name, suggestions: suggestTargetNames(name) });
}

/** The accepted names closest to `name` by edit distance, at most `limit`. */
export function suggestTargetNames(name: string, limit = 3): string[] {
  const requested = name.trim().toLowerCase();
  return [...aliasTable.values()]
    .map((alias) => ({ name: alias.name, cost: distance(requested, alias.name.toLowerCase()) }))
    .filter((candidate) => candidate.cost <= Math.max(2, Math.ceil(requested.length / 3)))
    .sort((left, right) => left.cost - right.cost || left.name.localeCompare(right.name))
    .slice(0, limit)
    .map((candidate) => candidate.name);
}
