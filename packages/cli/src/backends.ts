import type { BinfmtBackend } from '@qus/core';
import { err, ok, type Result } from 'neverthrow';
import type { CliError } from './errors.js';

/** Options the CLI passes to `createProcfsBackend`. */
export interface ProcfsBackendOptions {
  readonly root?: string;
  readonly mount?: boolean;
}

/** The part of `@qus/procfs` the CLI calls. */
export interface ProcfsModule {
  createProcfsBackend(options: ProcfsBackendOptions): BinfmtBackend<unknown>;
}

function hasFunction<K extends string>(value: unknown, key: K): value is Record<K, (...args: never[]) => unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[key] === 'function';
}

/** Load `@qus/procfs`, or explain that the installed version lacks the backend. */
export async function loadProcfs(feature: string): Promise<Result<ProcfsModule, CliError>> {
  const module: unknown = await import('@qus/procfs');
  if (!hasFunction(module, 'createProcfsBackend')) {
    return err({ kind: 'backend-unavailable', packageName: '@qus/procfs', feature });
  }
  return ok(module as unknown as ProcfsModule);
}
