import { err, ok, type Result } from 'neverthrow';

/** A Linux kernel version, from `uname -r`. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The text it was parsed from. */
  readonly release: string;
}

/** What a kernel version allows a binfmt_misc entry to use. */
export interface KernelFeatures {
  readonly version: KernelVersion;
  /** `F` (fix-binary) exists since Linux 4.8. */
  readonly fixBinary: boolean;
  /** Bytes the kernel reads from a file to match entries: 256 since Linux 5.1, 128 before. */
  readonly bufferSize: 128 | 256;
  /**
   * Since Linux 5.12 an entry with `P` sets bit 0 of the interpreter's `AT_FLAGS`, which
   * QEMU 6.0 and later read. Without it, QEMU gives the guest an extra argument unless it
   * runs under a Debian `-binfmt-P` name. Stable backports (5.10.y) are not visible here.
   */
  readonly preserveArgv0Flag: boolean;
  /** Each user namespace can mount its own binfmt_misc instance since Linux 6.7. */
  readonly namespacedInstances: boolean;
}

/** A `uname -r` text that does not start with `MAJOR.MINOR`. */
export interface KernelVersionError {
  readonly kind: 'invalid-kernel-version';
  readonly release: string;
}

/**
 * Parse the leading `MAJOR.MINOR[.PATCH]` of a `uname -r` text such as `6.1.0-18-amd64`.
 */
export function parseKernelVersion(release: string): Result<KernelVersion, KernelVersionError> {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim());
  if (match === null) {
    return err({ kind: 'invalid-kernel-version', release });
  }
  return ok({
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? '0'),
    release,
  });
}

/** Return whether `version` is at least `major.minor`. */
export function kernelAtLeast(version: KernelVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** Derive what binfmt_misc supports on a kernel version. */
export function kernelFeatures(version: KernelVersion): KernelFeatures {
  return {
    version,
    fixBinary: kernelAtLeast(version, 4, 8),
    bufferSize: kernelAtLeast(version, 5, 1) ? 256 : 128,
    preserveArgv0Flag: kernelAtLeast(version, 5, 12),
    namespacedInstances: kernelAtLeast(version, 6, 7),
  };
}
