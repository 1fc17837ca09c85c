import { bytesEqual } from './internal/escape.js';

/**
 * The binfmt_misc flags of one entry.
 *
 * - `preserveArgv0` (`P`): the interpreter receives the original argv[0] as an extra argument.
 * - `openBinary` (`O`): the kernel opens the binary and passes the descriptor as `AT_EXECFD`.
 * - `credentials` (`C`): uid, gid and security context come from the binary, so setuid works.
 *   The kernel sets `O` whenever `C` is set.
 * - `fixBinary` (`F`): the kernel opens the interpreter once, at registration, and every exec
 *   uses that file (Linux 4.8 and later).
 */
export interface BinfmtFlags {
  readonly preserveArgv0: boolean;
  readonly openBinary: boolean;
  readonly credentials: boolean;
  readonly fixBinary: boolean;
}

/** A binfmt_misc entry that matches files by bytes at an offset (type `M`). */
export interface MagicRecord {
  readonly kind: 'magic';
  /** Entry name, the file name under the binfmt_misc mount. */
  readonly name: string;
  /** Byte offset in the file where {@link MagicRecord.magic} is compared. */
  readonly offset: number;
  /** Decoded magic bytes. */
  readonly magic: Uint8Array;
  /** Decoded mask bytes, as long as the magic; `null` means every bit must match. */
  readonly mask: Uint8Array | null;
  /** Path of the program the kernel runs in place of the matched file. */
  readonly interpreter: string;
  readonly flags: BinfmtFlags;
}

/** A binfmt_misc entry that matches files by the text after the last `.` of their path (type `E`). */
export interface ExtensionRecord {
  readonly kind: 'extension';
  readonly name: string;
  /** Extension without the leading dot, compared case-sensitively. */
  readonly extension: string;
  readonly interpreter: string;
  readonly flags: BinfmtFlags;
}

/** One binfmt_misc registration, the unit every backend applies and reads. */
export type BinfmtRecord = MagicRecord | ExtensionRecord;

/** Flag letters accepted in {@link createFlags}, in any order. */
export type FlagLetter = 'P' | 'O' | 'C' | 'F';

/** An entry together with its enabled state, as a backend reads it back. */
export interface InstalledEntry {
  readonly record: BinfmtRecord;
  readonly enabled: boolean;
}

/** No flags set. */
export const NO_FLAGS: BinfmtFlags = Object.freeze({
  preserveArgv0: false,
  openBinary: false,
  credentials: false,
  fixBinary: false,
});

/**
 * Build flags from letters or booleans, with `C` implying `O` as in the kernel.
 *
 * @example
 * createFlags('CF') // { preserveArgv0: false, openBinary: true, credentials: true, fixBinary: true }
 */
export function createFlags(flags: string | Partial<BinfmtFlags> = {}): BinfmtFlags {
  if (typeof flags === 'string') {
    return normalizeFlags({
      preserveArgv0: flags.includes('P'),
      openBinary: flags.includes('O'),
      credentials: flags.includes('C'),
      fixBinary: flags.includes('F'),
    });
  }
  return normalizeFlags({ ...NO_FLAGS, ...flags });
}

/** Return the flags as the kernel stores them: `C` sets `O` too. */
export function normalizeFlags(flags: BinfmtFlags): BinfmtFlags {
  return Object.freeze({
    preserveArgv0: flags.preserveArgv0,
    openBinary: flags.openBinary || flags.credentials,
    credentials: flags.credentials,
    fixBinary: flags.fixBinary,
  });
}

/**
 * Format flags in the order the kernel prints them in an entry's status file: P, O, C, F.
 * `C` alone prints as `OC`.
 */
export function formatFlagsAsKernel(flags: BinfmtFlags): string {
  const normalized = normalizeFlags(flags);
  return (
    (normalized.preserveArgv0 ? 'P' : '') +
    (normalized.openBinary ? 'O' : '') +
    (normalized.credentials ? 'C' : '') +
    (normalized.fixBinary ? 'F' : '')
  );
}

/**
 * Format flags in the order `qemu-binfmt-conf.sh` writes them: `OC`, `F`, `P`.
 * An `O` without `C` is written as `O`.
 */
export function formatFlagsAsQemu(flags: BinfmtFlags): string {
  return (
    (flags.credentials ? 'OC' : flags.openBinary ? 'O' : '') +
    (flags.fixBinary ? 'F' : '') +
    (flags.preserveArgv0 ? 'P' : '')
  );
}

/** Compare two flag sets after normalisation, so that `C` equals `OC`. */
export function flagsEqual(left: BinfmtFlags, right: BinfmtFlags): boolean {
  return formatFlagsAsKernel(left) === formatFlagsAsKernel(right);
}

/**
 * Compare two records the way the kernel stores them: decoded magic and mask bytes,
 * normalised flags, and nothing of their original spelling (delimiter, escapes, flag order).
 */
export function recordsEqual(left: BinfmtRecord, right: BinfmtRecord): boolean {
  if (left.name !== right.name || left.interpreter !== right.interpreter) return false;
  if (!flagsEqual(left.flags, right.flags)) return false;
  if (left.kind === 'magic' && right.kind === 'magic') {
    return left.offset === right.offset && bytesEqual(left.magic, right.magic) && bytesEqual(left.mask, right.mask);
  }
  if (left.kind === 'extension' && right.kind === 'extension') {
    return left.extension === right.extension;
  }
  return false;
}

/** Fields of a magic record; {@link createMagicRecord} fills the defaults. */
export interface MagicRecordInit {
  readonly name: string;
  readonly magic: Uint8Array;
  readonly mask?: Uint8Array | null;
  /** @default 0 */
  readonly offset?: number;
  readonly interpreter: string;
  readonly flags?: string | Partial<BinfmtFlags>;
}

/**
 * Build a magic record with normalised flags. The record is not validated: pass it
 * to `validateRecord` before a backend applies it.
 */
export function createMagicRecord(init: MagicRecordInit): MagicRecord {
  return Object.freeze({
    kind: 'magic',
    name: init.name,
    offset: init.offset ?? 0,
    magic: init.magic,
    mask: init.mask ?? null,
    interpreter: init.interpreter,
    flags: createFlags(init.flags),
  });
}

/** Fields of an extension record. */
export interface ExtensionRecordInit {
  readonly name: string;
  readonly extension: string;
  readonly interpreter: string;
  readonly flags?: string | Partial<BinfmtFlags>;
}

/** Build an extension record with normalised flags. The record is not validated. */
export function createExtensionRecord(init: ExtensionRecordInit): ExtensionRecord {
  return Object.freeze({
    kind: 'extension',
    name: init.name,
    extension: init.extension,
    interpreter: init.interpreter,
    flags: createFlags(init.flags),
  });
}
