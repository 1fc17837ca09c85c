import { resolveTarget } from '@qus/core';
import picomatch from 'picomatch';

/**
 * Entries to act on: an entry name (`qemu-aarch64`), a target in any of its names
 * (`arm64`, `linux/arm64`, `aarch64`), which selects the entry `qemu-<cpu>`, or a glob
 * over entry names (`qemu-*`, `qemu-mips{,el}`). Several selectors select the union.
 */
export type EntrySelector = string | readonly string[];

/** The entry names a selector picks among the existing ones, and the selectors that picked none. */
export interface SelectedEntries {
  /** Existing entry names, in the order of `names`. */
  readonly matched: readonly string[];
  /** Selectors that matched no entry, as given; a target is shown as its entry name. */
  readonly missing: readonly string[];
}

/**
 * Resolve selectors against the existing entry names. An exact entry name wins over a
 * target name, so an entry named `arm64` is selected by `arm64` itself.
 *
 * @example
 * selectEntries('qemu-*', ['qemu-arm', 'python3']) // { matched: ['qemu-arm'], missing: [] }
 */
export function selectEntries(selector: EntrySelector, names: readonly string[]): SelectedEntries {
  const selectors = typeof selector === 'string' ? [selector] : selector;
  const chosen = new Set<string>();
  const missing: string[] = [];
  for (const one of selectors) {
    const hits = namesFor(one, names);
    if (hits.found.length === 0) missing.push(hits.label);
    for (const name of hits.found) chosen.add(name);
  }
  return { matched: names.filter((name) => chosen.has(name)), missing };
}

function namesFor(selector: string, names: readonly string[]): { found: string[]; label: string } {
  if (names.includes(selector)) return { found: [selector], label: selector };
  if (picomatch.scan(selector).isGlob) {
    const isMatch = picomatch(selector, { dot: true });
    return { found: names.filter((name) => isMatch(name)), label: selector };
  }
  const target = resolveTarget(selector);
  if (target.isOk()) {
    const entryName = `qemu-${target.value.name}`;
    return { found: names.includes(entryName) ? [entryName] : [], label: entryName };
  }
  return { found: [], label: selector };
}
