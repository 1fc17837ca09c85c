import type { BackendState } from '@qus/core';
import { describeProcfsFailure, openProcfs } from './procfs-backend.js';

/** The entries of a binfmt_misc instance, or the reason they could not be read. */
export type LiveEntries =
  | { readonly ok: true; readonly state: BackendState }
  | { readonly ok: false; readonly reason: string };

/** Read every entry of the instance mounted at `root`, never mounting or writing anything. */
export async function readLiveEntries(root: string): Promise<LiveEntries> {
  const state = await openProcfs(root).read();
  if (state.isErr()) return { ok: false, reason: describeProcfsFailure(state.error, false) };
  return { ok: true, state: state.value };
}
