import type { BinfmtRecord, InstalledEntry, MagicRecord } from './record.js';

/** Bytes the kernel reads to match entries on current kernels (`BINPRM_BUF_SIZE`). */
const BUFFER_SIZE = 256;

/** The file to match: its first bytes and, for extension entries, the path passed to `execve`. */
export interface MatchInput {
  /** The first bytes of the file; fewer than 256 are padded with zero bytes. */
  readonly bytes: Uint8Array;
  readonly path?: string;
}

/** The reason an entry did not run a file. */
export type MatchRejection =
  | { readonly kind: 'disabled' }
  | {
      readonly kind: 'byte-mismatch';
      /** Offset of the first byte that failed, in the file. */
      readonly offset: number;
      readonly expected: number;
      readonly actual: number;
      readonly mask: number;
    }
  | { readonly kind: 'extension-mismatch'; readonly expected: string; readonly actual: string | null }
  /** It matches too, but a newer entry is tried first. */
  | { readonly kind: 'shadowed'; readonly by: string };

/** The outcome of {@link matchFile}. */
export interface MatchResult {
  /** The entry the kernel would run the file with, or `null` (then ELF and `#!` handlers run). */
  readonly winner: InstalledEntry | null;
  /** Every other entry, newest first, with the reason it does not run the file. */
  readonly rejected: readonly { readonly entry: InstalledEntry; readonly reason: MatchRejection }[];
}

/** Options of {@link matchFile}. */
export interface MatchOptions {
  /**
   * Whether the whole instance is enabled (`status` reads `enabled`).
   * @default true
   */
  readonly instanceEnabled?: boolean;
}

function magicMismatch(record: MagicRecord, bytes: Uint8Array): MatchRejection | null {
  for (let index = 0; index < record.magic.length; index += 1) {
    const position = record.offset + index;
    // The kernel's buffer is zero-filled past the end of a short file.
    const actual = position < BUFFER_SIZE ? (bytes[position] ?? 0) : 0;
    const expected = record.magic[index] as number;
    const mask = record.mask === null ? 0xff : (record.mask[index] as number);
    if (((actual ^ expected) & mask) !== 0) {
      return { kind: 'byte-mismatch', offset: position, expected, actual, mask };
    }
  }
  return null;
}

/** The text after the last `.` of a path, as `fs/binfmt_misc.c` compares it; `null` without a dot. */
function extensionOf(path: string | undefined): string | null {
  if (path === undefined) return null;
  const dot = path.lastIndexOf('.');
  return dot === -1 ? null : path.slice(dot + 1);
}

/** Test one record against a file, ignoring its enabled state; `null` means it matches. */
export function recordMismatch(record: BinfmtRecord, file: MatchInput): MatchRejection | null {
  if (record.kind === 'magic') return magicMismatch(record, file.bytes);
  const actual = extensionOf(file.path);
  return actual === record.extension ? null : { kind: 'extension-mismatch', expected: record.extension, actual };
}

/**
 * Pick the entry the kernel would run a file with. Entries are given in registration
 * order, oldest first; the kernel tries the newest first and takes the first enabled
 * entry whose bytes match: `((byte ^ magic) & mask) == 0` at every position from the
 * offset, or an exact extension after the last `.` of the path.
 *
 * @example
 * const { winner } = matchFile({ bytes: header.bytes }, entries);
 */
export function matchFile(
  file: MatchInput,
  entries: readonly InstalledEntry[],
  options: MatchOptions = {},
): MatchResult {
  const instanceEnabled = options.instanceEnabled ?? true;
  let winner: InstalledEntry | null = null;
  const rejected: { entry: InstalledEntry; reason: MatchRejection }[] = [];
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const entry = entries[index] as InstalledEntry;
    if (!entry.enabled || !instanceEnabled) {
      rejected.push({ entry, reason: { kind: 'disabled' } });
      continue;
    }
    const mismatch = recordMismatch(entry.record, file);
    if (mismatch !== null) {
      rejected.push({ entry, reason: mismatch });
    } else if (winner === null) {
      winner = entry;
    } else {
      rejected.push({ entry, reason: { kind: 'shadowed', by: winner.record.name } });
    }
  }
  return { winner, rejected };
}

/** Two records that can match the same file, or one that can never run anything. */
export type Overlap =
  | {
      /** Some file matches both; `newer` wins it. */
      readonly kind: 'overlap';
      readonly older: string;
      readonly newer: string;
    }
  | {
      /** Every file `older` matches is matched by `newer` first, so `older` never runs. */
      readonly kind: 'shadowed';
      readonly older: string;
      readonly newer: string;
    };

function constraintAt(record: MagicRecord, position: number): { value: number; mask: number } {
  const index = position - record.offset;
  if (index < 0 || index >= record.magic.length) return { value: 0, mask: 0 };
  return { value: record.magic[index] as number, mask: record.mask === null ? 0xff : (record.mask[index] as number) };
}

function span(record: MagicRecord): [number, number] {
  return [record.offset, record.offset + record.magic.length];
}

/** Some file can match both: wherever both masks test a bit, the magics agree. */
function magicsOverlap(left: MagicRecord, right: MagicRecord): boolean {
  const [leftStart, leftEnd] = span(left);
  const [rightStart, rightEnd] = span(right);
  for (let position = Math.max(leftStart, rightStart); position < Math.min(leftEnd, rightEnd); position += 1) {
    const a = constraintAt(left, position);
    const b = constraintAt(right, position);
    if (((a.value ^ b.value) & a.mask & b.mask) !== 0) return false;
  }
  return true;
}

/** Every file `inner` matches is matched by `outer`: `outer` tests only bits `inner` fixes, to the same values. */
function magicCovers(outer: MagicRecord, inner: MagicRecord): boolean {
  const [start, end] = span(outer);
  for (let position = start; position < end; position += 1) {
    const o = constraintAt(outer, position);
    const i = constraintAt(inner, position);
    if ((o.mask & ~i.mask) !== 0) return false;
    if (((o.value ^ i.value) & o.mask) !== 0) return false;
  }
  return true;
}

/**
 * Find pairs of records that can match the same file, given in registration order
 * (oldest first). A pair where the newer record matches every file the older one does
 * is reported as `shadowed`. Extension records are compared with extension records
 * only, since any magic record can match a file with any name.
 *
 * NOTE: an older record covered only by several newer records together is reported as
 * overlapping each of them, not as shadowed.
 */
export function findOverlaps(records: readonly BinfmtRecord[]): Overlap[] {
  const overlaps: Overlap[] = [];
  for (let newerIndex = 1; newerIndex < records.length; newerIndex += 1) {
    const newer = records[newerIndex] as BinfmtRecord;
    for (let olderIndex = 0; olderIndex < newerIndex; olderIndex += 1) {
      const older = records[olderIndex] as BinfmtRecord;
      if (older.kind === 'extension' && newer.kind === 'extension') {
        if (older.extension === newer.extension) {
          overlaps.push({ kind: 'shadowed', older: older.name, newer: newer.name });
        }
      } else if (older.kind === 'magic' && newer.kind === 'magic' && magicsOverlap(older, newer)) {
        const kind = magicCovers(newer, older) ? 'shadowed' : 'overlap';
        overlaps.push({ kind, older: older.name, newer: newer.name });
      }
    }
  }
  return overlaps;
}
