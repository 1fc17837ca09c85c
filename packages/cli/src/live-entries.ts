import type { BackendState } from '@qus/core';
import { loadProcfs } from './backends.js';
import { describeCliError } from './messages.js';

/** The entries of a binfmt_misc instance, or the reason they could not be read. */
export type LiveEntries =
  | { readonly ok: true; readonly state: BackendState }
  | { readonly ok: false; readonly reason: string };

/** Read every entry of the instance mounted at `root`, never mounting or writing anything. */
export async function readLiveEntries(root: string | undefined): Promise<LiveEntries> {
  const procfs = await loadProcfs('reading the registered entries');
  if (procfs.isErr()) return { ok: false, reason: describeCliError(procfs.error) };
  const backend = procfs.value.createProcfsBackend(root === undefined ? {} : { root });
  const state = await backend.read();
  if (state.isErr()) return { ok: false, reason: backend.describeError(state.error) };
  return { ok: true, state: state.value };
}
