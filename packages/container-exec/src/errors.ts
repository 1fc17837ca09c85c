import type { ElfHeaderError, InvalidRecordError, TargetName, UnknownTargetError } from '@qus/core';

/**
 * Every expected failure of this package, as plain data. `describeContainerExecError`
 * turns one into a sentence for users.
 */
export type ContainerExecError =
  /** The command to run is an empty list. */
  | { readonly kind: 'empty-command' }
  /** A program name without `/` was not found in any `PATH` folder. */
  | { readonly kind: 'program-not-found'; readonly name: string; readonly searchPath: string }
  /** The program file has no execute permission for the caller, so `execve` would fail with EACCES. */
  | { readonly kind: 'not-executable'; readonly path: string; readonly elf: boolean }
  /** The program's ELF header could not be read (missing file, not ELF, truncated, …). */
  | { readonly kind: 'invalid-program'; readonly error: ElfHeaderError }
  /** No catalogue target matches the program and the host does not run it either. */
  | {
      readonly kind: 'no-target';
      readonly path: string;
      readonly machineName: string;
      readonly elfClass: 32 | 64;
      readonly byteOrder: 'little' | 'big';
    }
  /** The program needs a target whose emulator is not installed. */
  | { readonly kind: 'emulator-missing'; readonly path: string; readonly target: TargetName; readonly emulator: string }
  /** A dynamically linked program whose loader is neither on the host nor under a given sysroot. */
  | { readonly kind: 'sysroot-missing'; readonly path: string; readonly loader: string }
  /** The given sysroot is not a folder. */
  | { readonly kind: 'sysroot-not-found'; readonly sysroot: string }
  /** The given sysroot does not contain the program's loader. */
  | { readonly kind: 'loader-missing'; readonly path: string; readonly loader: string; readonly sysroot: string }
  /** The host's own machine is not a QEMU CPU, so the targets it needs are unknown. */
  | { readonly kind: 'unknown-host'; readonly machine: string }
  /** A target named by the caller is not in the catalogue. */
  | { readonly kind: 'unknown-target'; readonly error: UnknownTargetError }
  /** A record built for a target breaks a kernel rule (for example a `:` in the emulator path). */
  | { readonly kind: 'invalid-record'; readonly error: InvalidRecordError }
  /** A program or emulator could not be started. */
  | { readonly kind: 'spawn-failed'; readonly file: string; readonly code: string }
  /** No private binfmt_misc instance can be made for an unprivileged user. */
  | {
      readonly kind: 'namespaces-unavailable';
      readonly reason: 'old-kernel' | 'unshare-missing' | 'unshare-failed';
      /** The kernel release, or what `unshare` printed. */
      readonly detail: string;
    }
  /** Mounting binfmt_misc failed. */
  | { readonly kind: 'binfmt-mount-failed'; readonly directory: string; readonly detail: string }
  /** The kernel rejected a register string, or the registering backend failed. */
  | { readonly kind: 'register-failed'; readonly name: string; readonly detail: string }
  /** Two programs would get wrappers of the same name. */
  | { readonly kind: 'wrapper-name-conflict'; readonly name: string; readonly programs: readonly [string, string] }
  /** A wrapper file could not be written. `written` lists the wrappers already in place, usually none. */
  | {
      readonly kind: 'wrapper-write-failed';
      readonly path: string;
      readonly code: string;
      readonly written: readonly string[];
    }
  /** The binfmt_misc backend failed as a whole (not mounted and cannot be mounted, no permission). */
  | { readonly kind: 'backend-failed'; readonly backend: string; readonly detail: string }
  /** The emulator folder of an image holds no emulator for any target. */
  | { readonly kind: 'no-emulators'; readonly directory: string; readonly suffix: string };
