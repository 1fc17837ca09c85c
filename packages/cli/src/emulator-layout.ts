import { access, constants } from 'node:fs/promises';
import { DEFAULT_LAYOUT, type InterpreterLayout, interpreterPath, type Target } from '@qus/core';

/** The emulator-location options shared by `register`, `emit`, `run`, `exec` and `shim`. */
export interface EmulatorOptions {
  /** Folder of `qemu-<cpu><suffix>` (`qemu-binfmt-conf.sh --qemu-path`). */
  readonly qemuPath?: string;
  /** Suffix after `qemu-<cpu>` (`qemu-binfmt-conf.sh --qemu-suffix`). */
  readonly qemuSuffix?: string;
}

/** The location of one target's emulator, and whether the file exists. */
export interface EmulatorLocation {
  readonly layout: InterpreterLayout;
  readonly path: string;
  readonly exists: boolean;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Find a target's emulator. With `--qemu-path` or `--qemu-suffix` the layout is exactly
 * `<path>/qemu-<cpu><suffix>` (defaults `/usr/bin` and `-static`). Without them,
 * `/usr/bin/qemu-<cpu>-static` is used when present, then Debian's
 * `/usr/libexec/qemu-binfmt/<cpu>-binfmt-P` when that is what is installed, and
 * otherwise `/usr/bin/qemu-<cpu>-static` is reported missing.
 */
export async function locateEmulator(target: Target, options: EmulatorOptions): Promise<EmulatorLocation> {
  if (options.qemuPath !== undefined || options.qemuSuffix !== undefined) {
    const layout: InterpreterLayout = {
      kind: 'directory',
      directory: options.qemuPath ?? '/usr/bin',
      suffix: options.qemuSuffix ?? '-static',
    };
    const path = interpreterPath(target, layout);
    return { layout, path, exists: await isExecutable(path) };
  }
  const defaultPath = interpreterPath(target, DEFAULT_LAYOUT);
  if (await isExecutable(defaultPath)) return { layout: DEFAULT_LAYOUT, path: defaultPath, exists: true };
  const debian: InterpreterLayout = { kind: 'debian-binfmt-p' };
  const debianPath = interpreterPath(target, debian);
  if (await isExecutable(debianPath)) return { layout: debian, path: debianPath, exists: true };
  return { layout: DEFAULT_LAYOUT, path: defaultPath, exists: false };
}
