import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectChild } from '../support/child.js';
import { busyboxPath, qemuStaticDir } from '../support/fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The script that runs one API call in a child process. */
export const DRIVER = join(here, 'driver.mjs');

/** The built entrypoint bin. */
export const ENTRYPOINT_BIN = join(here, '..', '..', 'packages', 'container-exec', 'dist', 'entrypoint-bin.js');

/** The Debian fixture emulators as an interpreter layout. */
export function fixtureLayout(): { kind: 'directory'; directory: string; suffix: string } {
  return { kind: 'directory', directory: qemuStaticDir(), suffix: '-static' };
}

/** A folder that every user can enter and read, for tests that drop to uid 65534. */
export function makeOpenFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(folder, 0o755);
  return folder;
}

/** Folder and file names that a shell would expand, had any of them been given to one. */
export const HOSTILE_FOLDER = '$(touch x)';
export const HOSTILE_NAME = `busybox $(touch y)'"\`touch z\``;

/**
 * Copy the arm64 busybox to `<folder>/$(touch x)/busybox $(touch y)'"…`. busybox picks its
 * applet from argv[0], and a name that starts with "busybox" runs the applet named in argv[1].
 */
export function copyBusyboxToHostilePath(folder: string): string {
  const directory = join(folder, HOSTILE_FOLDER);
  mkdirSync(directory, { mode: 0o755 });
  const path = join(directory, HOSTILE_NAME);
  copyFileSync(busyboxPath('arm64'), path);
  chmodSync(path, 0o755);
  return path;
}

/** Arguments a shell would split, expand or take as options. */
export const HOSTILE_ARGUMENTS = ['a b', `it's "quoted"`, 'line1\nline2', '-n', '$(touch x)', '`touch z`', '*', ''];

/** What `busybox printf '%s|' …HOSTILE_ARGUMENTS` prints when every argument arrives intact. */
export const HOSTILE_OUTPUT = `${HOSTILE_ARGUMENTS.join('|')}|`;

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunProcessOptions {
  readonly input?: string;
  readonly cwd?: string;
  /** Called with the child's pid once it started. */
  readonly onStart?: (pid: number) => void;
}

/** Run a program without a shell and collect its output. */
export function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  const child = spawn(file, args, { cwd: options.cwd ?? here, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
  child.on('spawn', () => options.onStart?.(child.pid as number));
  return collectChild(child, options.input);
}

/** Run the driver: `mode` is `shim` or `rootless`; `asNobody` drops to uid and gid 65534 first. */
export function runDriver(
  mode: 'shim' | 'rootless',
  options: object,
  command: readonly string[],
  processOptions: RunProcessOptions & { readonly asNobody?: boolean } = {},
): Promise<ProcessResult> {
  const nodeArgs = [DRIVER, mode, JSON.stringify(options), ...command];
  if (processOptions.asNobody === true) {
    return runProcess(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...nodeArgs],
      processOptions,
    );
  }
  return runProcess(process.execPath, nodeArgs, processOptions);
}

function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    children = text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Send SIGTERM to `pid` once one of its descendants (or, with `self`, the process itself)
 * runs a program whose argv[0] is `program`, so the signal arrives after the program
 * started. A child between fork and exec still shows its parent's command line, so
 * argv[0] is compared rather than any text of the line.
 */
export function terminateWhenRunning(
  pid: number,
  program: string,
  scope: 'descendants' | 'self' = 'descendants',
): void {
  const poll = (): void => {
    const candidates = scope === 'self' ? [pid] : descendants(pid);
    // The process ended before the program started: the test's own assertions report it.
    if (!existsSync(`/proc/${pid}`)) return;
    if (candidates.some((candidate) => commandLine(candidate).split('\0')[0] === program)) {
      process.kill(pid, 'SIGTERM');
      return;
    }
    setTimeout(poll, 20);
  };
  poll();
}

/** The names in a folder, sorted. */
export function listFolder(path: string): string[] {
  return readdirSync(path).sort();
}

/**
 * Write a minimal 64-bit little-endian ELF executable header with a PT_INTERP segment
 * naming `loader`, enough for a header reader to see a dynamically linked program. It
 * never runs: every check that uses it fails before any exec.
 */
export function writeDynamicElf(path: string, machine: number, loader: string): void {
  const headerSize = 64;
  const programHeaderSize = 56;
  const loaderOffset = headerSize + programHeaderSize;
  const loaderBytes = Buffer.from(`${loader}\0`, 'latin1');
  const bytes = Buffer.alloc(loaderOffset + loaderBytes.length);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  bytes.writeUInt16LE(2, 16); // e_type ET_EXEC
  bytes.writeUInt16LE(machine, 18);
  bytes.writeUInt32LE(1, 20); // e_version
  bytes.writeBigUInt64LE(BigInt(headerSize), 32); // e_phoff
  bytes.writeUInt16LE(headerSize, 52); // e_ehsize
  bytes.writeUInt16LE(programHeaderSize, 54); // e_phentsize
  bytes.writeUInt16LE(1, 56); // e_phnum
  bytes.writeUInt32LE(3, headerSize); // p_type PT_INTERP
  bytes.writeBigUInt64LE(BigInt(loaderOffset), headerSize + 8); // p_offset
  bytes.writeBigUInt64LE(BigInt(loaderBytes.length), headerSize + 32); // p_filesz
  bytes.writeBigUInt64LE(BigInt(loaderBytes.length), headerSize + 40); // p_memsz
  loaderBytes.copy(bytes, loaderOffset);
  writeFileSync(path, bytes, { mode: 0o755 });
}
