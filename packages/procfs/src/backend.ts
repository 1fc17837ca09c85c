import { machine, release } from 'node:os';
import {
  type ApplyOptions,
  type ApplyReport,
  type BackendState,
  type BinfmtBackend,
  type BinfmtRecord,
  type KernelFeatures,
  kernelFeatures,
  parseKernelVersion,
  type RemoveReport,
} from '@qus/core';
import { err, type Result } from 'neverthrow';
import { applyRecords } from './apply.js';
import type { ProcfsError } from './errors.js';
import { DEFAULT_ROOT, detectInstance, ensureInstance, type InstanceStatus } from './instance.js';
import { hostHeaders } from './internal/host-header.js';
import { describeProcfsError } from './messages.js';
import {
  removeEntries,
  removeEveryEntry,
  removeSelected,
  setStatus,
  type ToggleReport,
  toggleSelected,
} from './mutate.js';
import { readInstance } from './read.js';
import type { EntrySelector } from './selector.js';

/** Options of {@link createProcfsBackend}. */
export interface ProcfsOptions {
  /**
   * Mount point of the binfmt_misc instance. A user namespace (Linux 6.7 or later) can
   * mount its own instance anywhere.
   * @default '/proc/sys/fs/binfmt_misc'
   */
  readonly root?: string;
  /**
   * Mount binfmt_misc at `root` (with `mount -t binfmt_misc`) when nothing is mounted there.
   * @default false
   */
  readonly mount?: boolean;
  /**
   * Kernel release whose features decide what a record may use (`F`, the magic buffer
   * size, `P`), as `uname -r` prints it.
   * @default os.release()
   */
  readonly kernelRelease?: string;
  /**
   * `uname -m` of the host, for the warning about records that match native programs.
   * @default os.machine()
   */
  readonly hostMachine?: string;
}

/**
 * The live-kernel backend: applies records to a binfmt_misc instance and reads it back.
 * Every operation first checks that an instance is mounted at {@link ProcfsBackend.root}.
 */
export interface ProcfsBackend extends BinfmtBackend<ProcfsError> {
  readonly name: 'procfs';
  /** Mount point of the instance. */
  readonly root: string;
  /**
   * Register records, one `write(2)` each. An identical entry is `unchanged`; a different
   * entry of the same name fails with both shown unless `replace` is set. Warnings about
   * overlapping entries and native programs are computed before the first write. Records
   * are checked against the running kernel first: `P` before Linux 5.12 without a
   * `-binfmt-P` interpreter is rejected, since the guest would get an extra argument.
   */
  apply(
    records: readonly BinfmtRecord[],
    options?: ApplyOptions,
  ): Promise<Result<ApplyReport<ProcfsError>, ProcfsError>>;
  /** Find out whether an instance is mounted at the root, and whether the kernel has binfmt_misc. */
  detect(): Promise<Result<InstanceStatus, ProcfsError>>;
  /** Remove the entries that an entry name, a target name or a glob such as `qemu-*` selects. */
  removeMatching(selector: EntrySelector): Promise<Result<RemoveReport<ProcfsError>, ProcfsError>>;
  /** Enable the selected entries (write `1` to each). */
  enable(selector: EntrySelector): Promise<Result<ToggleReport<ProcfsError>, ProcfsError>>;
  /** Disable the selected entries (write `0` to each); the kernel skips disabled entries. */
  disable(selector: EntrySelector): Promise<Result<ToggleReport<ProcfsError>, ProcfsError>>;
  /** Enable or disable matching for the whole instance (write `1` or `0` to `status`). */
  setInstanceEnabled(enabled: boolean): Promise<Result<void, ProcfsError>>;
  /**
   * Remove every entry, other tools' included, by writing `-1` to `status`. Nothing else
   * in this backend writes `-1` to `status`.
   */
  removeAll(options: { readonly confirm: true }): Promise<Result<RemoveReport<ProcfsError>, ProcfsError>>;
}

/**
 * Create the backend for the binfmt_misc instance mounted at `options.root`.
 *
 * @param options - mount point, whether to mount, and the kernel and host to judge records by
 * @returns a backend; nothing is read or written until one of its methods runs
 * @example
 * const backend = createProcfsBackend({ root: '/proc/sys/fs/binfmt_misc', mount: true });
 * const records = register(['arm64', 'riscv64'], { flags: 'F' })._unsafeUnwrap();
 * const report = await backend.apply(records, { onError: 'rollback' });
 */
export function createProcfsBackend(options: ProcfsOptions = {}): ProcfsBackend {
  const root = (options.root ?? DEFAULT_ROOT).replace(/(?<=.)\/+$/, '');
  const mount = options.mount ?? false;
  const kernelRelease = options.kernelRelease ?? release();
  const hostMachine = options.hostMachine ?? machine();

  const features = (): Result<KernelFeatures, ProcfsError> =>
    parseKernelVersion(kernelRelease)
      .map(kernelFeatures)
      .mapErr((): ProcfsError => ({ kind: 'invalid-kernel-release', release: kernelRelease }));

  const withInstance = async <T>(
    action: () => Promise<Result<T, ProcfsError>>,
    allowMount = mount,
  ): Promise<Result<T, ProcfsError>> => {
    const ready = await ensureInstance(root, allowMount);
    if (ready.isErr()) return err(ready.error);
    return action();
  };

  return {
    name: 'procfs',
    root,
    detect: () => detectInstance(root),
    apply: (records, applyOptions) =>
      withInstance(
        async () => {
          const kernel = features();
          if (kernel.isErr()) return err(kernel.error);
          // Node's own binary is a native program only when the host is the machine Node runs on.
          const ownExecutable = options.hostMachine === undefined ? process.execPath : undefined;
          const nativeHeaders = await hostHeaders(hostMachine, ownExecutable);
          return applyRecords({ root, features: kernel.value, nativeHeaders, hostMachine }, records, applyOptions);
        },
        // A dry run changes nothing, so it does not mount either.
        // NOTE: it therefore fails with not-mounted where a real run would mount first.
        mount && applyOptions?.dryRun !== true,
      ),
    read: (): Promise<Result<BackendState, ProcfsError>> => withInstance(() => readInstance(root)),
    remove: (names) => withInstance(() => removeEntries(root, names)),
    removeMatching: (selector) => withInstance(() => removeSelected(root, selector)),
    enable: (selector) => withInstance(() => toggleSelected(root, selector, true)),
    disable: (selector) => withInstance(() => toggleSelected(root, selector, false)),
    setInstanceEnabled: (enabled) => withInstance(() => setStatus(root, enabled)),
    removeAll: async (removeOptions) => {
      // Checked at run time too, for callers without the type.
      if ((removeOptions as { confirm?: unknown } | undefined)?.confirm !== true) {
        return err({ kind: 'confirmation-required', root });
      }
      return withInstance(() => removeEveryEntry(root));
    },
    describeError: describeProcfsError,
  };
}
