import type { SkipReason, Target } from '@qus/core';
import { match } from 'ts-pattern';
import type { HostReport } from './host-facts.js';

function skipText(reason: SkipReason): string {
  return match(reason)
    .with('host-cpu', () => "the host's own CPU")
    .with('same-family', () => "the host's family, which QEMU assumes runs natively")
    .with('runs-natively', () => 'the host ran the probe natively')
    .with('excluded', () => 'excluded')
    .exhaustive();
}

/** Describe the host in one line: machine, kernel and what the probes found. */
export function describeHost(host: HostReport): string {
  const probes = host.probes.map((probe) =>
    probe.outcome === 'runs'
      ? `runs ${probe.target} natively`
      : probe.outcome === 'does-not-run'
        ? `does not run ${probe.target} natively`
        : `${probe.target} unknown (${probe.detail})`,
  );
  const facts = probes.length === 0 ? '' : `; ${probes.join(', ')}`;
  return `host: ${host.machine}, Linux ${host.kernelRelease}${facts}`;
}

/** Describe the left-out targets, grouped by reason. */
export function describeSkipped(skipped: readonly { readonly target: Target; readonly reason: SkipReason }[]): string {
  const groups = new Map<SkipReason, string[]>();
  for (const { target, reason } of skipped) {
    groups.set(reason, [...(groups.get(reason) ?? []), target.name]);
  }
  return [...groups.entries()].map(([reason, names]) => `${names.join(', ')} (${skipText(reason)})`).join('; ');
}
