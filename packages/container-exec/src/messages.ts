import { describeElfHeaderError, describeUnknownTarget, describeValidationError } from '@qus/core';
import { match } from 'ts-pattern';
import type { ContainerExecError } from './errors.js';

function quote(value: string): string {
  return JSON.stringify(value);
}

/** The emulator file name without its folder, such as `qemu-aarch64-static`. */
function emulatorName(emulator: string): string {
  return emulator.slice(emulator.lastIndexOf('/') + 1);
}

/**
 * Describe a failure of this package: what failed, on which value, and what to do.
 *
 * @example
 * describeContainerExecError({ kind: 'sysroot-not-found', sysroot: '/srv/arm64' })
 * // 'sysroot "/srv/arm64" is not a folder; pass the root folder of a guest system, such as one made by debootstrap'
 */
export function describeContainerExecError(error: ContainerExecError): string {
  return match(error)
    .with({ kind: 'empty-command' }, () => 'no command given; pass the program to run and its arguments')
    .with(
      { kind: 'program-not-found' },
      (e) => `program ${quote(e.name)} was not found in PATH (${quote(e.searchPath)}); pass its path`,
    )
    .with({ kind: 'not-executable' }, (e) =>
      e.elf
        ? `cannot run ${e.path}: permission denied, because the file has no execute permission; make it executable (chmod +x)`
        : `cannot run ${e.path}: permission denied, because the file has no execute permission and is not an ELF program; name a compiled program, or make a script with a #! line executable (chmod +x)`,
    )
    .with({ kind: 'invalid-program' }, (e) => `cannot run ${describeElfHeaderError(e.error)}`)
    .with(
      { kind: 'no-target' },
      (e) =>
        `cannot run ${e.path}: no QEMU target runs ${e.elfClass}-bit ${e.byteOrder}-endian ${e.machineName} programs, and this host does not run them natively`,
    )
    .with(
      { kind: 'emulator-missing' },
      (e) =>
        `cannot run ${e.path}: it is a ${e.target} program and its emulator ${e.emulator} is not installed; install ${emulatorName(e.emulator)} (Debian and Ubuntu: apt-get install qemu-user-static) or pass the folder that contains it`,
    )
    .with(
      { kind: 'sysroot-missing' },
      (e) =>
        `cannot run ${e.path}: it is dynamically linked and its loader ${e.loader} is not on this host; pass a sysroot (the root folder of a guest system that contains ${e.loader}) or set QEMU_LD_PREFIX`,
    )
    .with(
      { kind: 'sysroot-not-found' },
      (e) =>
        `sysroot ${quote(e.sysroot)} is not a folder; pass the root folder of a guest system, such as one made by debootstrap`,
    )
    .with(
      { kind: 'loader-missing' },
      (e) =>
        `cannot run ${e.path}: its loader ${e.loader} is not in the sysroot ${e.sysroot}; install the guest's libc there or pass another sysroot`,
    )
    .with(
      { kind: 'unknown-host' },
      (e) => `host machine ${quote(e.machine)} is not a QEMU CPU; name the targets to use explicitly`,
    )
    .with({ kind: 'unknown-target' }, (e) => describeUnknownTarget(e.error))
    .with({ kind: 'invalid-record' }, (e) => describeValidationError(e.error))
    .with({ kind: 'spawn-failed' }, (e) => `cannot start ${e.file} (${e.code}); check that it exists and is executable`)
    .with(
      { kind: 'namespaces-unavailable', reason: 'old-kernel' },
      (e) => `Linux ${e.detail} has no binfmt_misc instance per user namespace (it needs Linux 6.7 or later)`,
    )
    .with(
      { kind: 'namespaces-unavailable', reason: 'unshare-missing' },
      (e) => `cannot start unshare (${e.detail}); install util-linux`,
    )
    .with(
      { kind: 'namespaces-unavailable', reason: 'unshare-failed' },
      (e) =>
        `cannot create a user and mount namespace (${e.detail || 'unshare failed'}); user namespaces may be disabled (check the sysctl user.max_user_namespaces)`,
    )
    .with(
      { kind: 'binfmt-mount-failed' },
      (e) =>
        `cannot mount binfmt_misc on ${e.directory} (${e.detail || 'mount failed'}); run as root or in a privileged container, on Linux 6.7 or later for a user namespace`,
    )
    .with(
      { kind: 'register-failed' },
      (e) => `the kernel rejected entry ${quote(e.name)} (${e.detail || 'write failed'}); check the emulator path`,
    )
    .with(
      { kind: 'wrapper-name-conflict' },
      (e) =>
        `programs ${e.programs[0]} and ${e.programs[1]} would both get the wrapper ${quote(e.name)}; write them to different folders`,
    )
    .with({ kind: 'wrapper-write-failed' }, (e) => {
      const written = e.written.length === 0 ? 'no wrapper was changed' : `already written: ${e.written.join(', ')}`;
      return `cannot write the wrapper ${e.path} (${e.code}); ${written}; check that the folder is writable`;
    })
    .with({ kind: 'backend-failed' }, (e) => `the ${e.backend} backend failed: ${e.detail}`)
    .with(
      { kind: 'no-emulators' },
      (e) =>
        `no emulator named qemu-<cpu>${e.suffix} found in ${e.directory}; install qemu-user-static or pass the folder that holds the emulators`,
    )
    .exhaustive();
}
