import { machine as osMachine } from 'node:os';
import { normalizeHostMachine, targets } from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { CliError } from './errors.js';
import { type HostReport, probeHost } from './host-facts.js';

/** The host a plan is made for, and where its machine name came from. */
export interface PlanningHost {
  readonly host: HostReport;
  /** `probed` for this machine; otherwise the option or variable that named another machine. */
  readonly source: 'probed' | '--host-machine' | 'HOST_ARCH';
}

/**
 * Find the host that `emit` plans files for: the machine `--host-machine` names, else the
 * one in `HOST_ARCH` (as qemu-binfmt-conf.sh reads it), else this machine with its probes.
 * Another machine is not probed and its kernel is unknown, so QEMU's family rule decides
 * what it runs natively and no kernel feature is checked.
 */
export async function findPlanningHost(
  hostMachine: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Result<PlanningHost, CliError>> {
  const fromEnv = env['HOST_ARCH'];
  let source: PlanningHost['source'] = 'probed';
  let named = osMachine();
  if (hostMachine !== undefined) {
    source = '--host-machine';
    named = hostMachine;
  } else if (fromEnv !== undefined && fromEnv !== '') {
    source = 'HOST_ARCH';
    named = fromEnv;
  }
  if (source === 'probed') return ok({ host: await probeHost(), source });

  const cpu = normalizeHostMachine(named);
  if (!targets.some((target) => target.name === cpu))
    return err({ kind: 'invalid-host-machine', source, machine: named });
  if (cpu === normalizeHostMachine(osMachine())) return ok({ host: await probeHost(), source: 'probed' });
  const report = await probeHost({ machine: named, skipProbes: true });
  return ok({ host: { ...report, kernel: null, runsNatively: undefined }, source });
}
