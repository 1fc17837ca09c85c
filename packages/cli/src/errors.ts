import type {
  ElfHeaderError,
  InvalidRecordError,
  InvalidRegisterStringError,
  PlanError,
  UnknownTargetError,
} from '@qus/core';

/** A command failure. Each kind maps to one message in `messages.ts` and one exit code. */
export type CliError =
  | UnknownTargetError
  | PlanError
  | InvalidRecordError
  | InvalidRegisterStringError
  | { readonly kind: 'elf'; readonly error: ElfHeaderError }
  | { readonly kind: 'native-target'; readonly target: string; readonly machine: string }
  /** `--host-machine` or `HOST_ARCH` names no QEMU CPU. */
  | { readonly kind: 'invalid-host-machine'; readonly source: '--host-machine' | 'HOST_ARCH'; readonly machine: string }
  | { readonly kind: 'no-targets'; readonly command: string }
  | { readonly kind: 'emulator-missing'; readonly target: string; readonly path: string }
  /** Several planned targets lack their emulator, so nothing was registered. */
  | {
      readonly kind: 'emulators-missing';
      /** How many planned targets lack their emulator. */
      readonly missing: number;
      /** How many targets were planned. */
      readonly planned: number;
      /** The missing emulator paths, each once, in plan order. */
      readonly paths: readonly string[];
    }
  | { readonly kind: 'backend-unavailable'; readonly packageName: string; readonly feature: string }
  /** A backend's own error, already described by its `describeError`. */
  | { readonly kind: 'backend'; readonly backend: string; readonly message: string }
  | { readonly kind: 'missing-argument'; readonly command: string; readonly what: string }
  /** An unregister selector that names no registered entry, no target and is no glob. */
  | { readonly kind: 'entry-not-registered'; readonly name: string };

/** Exit code of a usage error: the command line itself is wrong. */
export const EXIT_USAGE = 2;
/** Exit code of a failed operation, also when only part of it failed. */
export const EXIT_FAILURE = 1;

/** Return whether an error is in the command line (exit 2) rather than a failed operation (exit 1). */
export function isUsageError(error: CliError): boolean {
  return (
    error.kind === 'unknown-target' ||
    error.kind === 'native-target' ||
    error.kind === 'invalid-host-machine' ||
    error.kind === 'no-targets' ||
    error.kind === 'missing-argument'
  );
}
