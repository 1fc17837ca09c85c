import { type ContainerExecError, describeContainerExecError } from '@qus/container-exec';
import { match } from 'ts-pattern';
import { withArticle } from './internal/article.js';

/**
 * Describe a container-exec error with the CLI's options (`--qemu-path`, `--sysroot`,
 * `--target`) in place of the library's "pass the folder" or "pass a sysroot". `action`
 * is what failed for a program: running it, or writing a wrapper for it (`qus shim`).
 */
export function describeExecFailure(error: ContainerExecError, action: 'run' | 'wrap' = 'run'): string {
  const text = describeRunFailure(error);
  return action === 'wrap' && text.startsWith('cannot run ') ? `cannot write a wrapper for ${text.slice(11)}` : text;
}

function describeRunFailure(error: ContainerExecError): string {
  return match(error)
    .with(
      { kind: 'emulator-missing' },
      (e) =>
        `cannot run ${e.path}: it is ${withArticle(e.target)} program and its emulator ${e.emulator} is not installed; install it (Debian and Ubuntu: apt-get install qemu-user-static) or pass --qemu-path DIR with the folder that contains it`,
    )
    .with(
      { kind: 'sysroot-missing' },
      (e) =>
        `cannot run ${e.path}: it is dynamically linked and its loader ${e.loader} is not on this host; pass --sysroot DIR (the root folder of a guest system that contains ${e.loader}) or set QEMU_LD_PREFIX`,
    )
    .with(
      { kind: 'sysroot-not-found' },
      (e) =>
        `--sysroot ${JSON.stringify(e.sysroot)} is not a folder; pass the root folder of a guest system, such as one made by debootstrap`,
    )
    .with(
      { kind: 'loader-missing' },
      (e) =>
        `cannot run ${e.path}: its loader ${e.loader} is not in the sysroot ${e.sysroot}; install the guest's libc there or pass another --sysroot DIR`,
    )
    .with(
      { kind: 'unknown-host' },
      (e) => `host machine ${JSON.stringify(e.machine)} is not a QEMU CPU; name the targets with --target`,
    )
    .otherwise((e) => describeContainerExecError(e));
}
