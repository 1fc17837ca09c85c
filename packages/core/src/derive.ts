import { err, ok, type Result } from 'neverthrow';
import { type Target, targets } from './catalogue.js';
import type { ElfHeader } from './elf-header.js';

const ET_EXEC = 2;
const ET_DYN = 3;
const EM_MIPS = 8;
const EM_LOONGARCH = 258;
/** EF_MIPS_ABI2: set for n32, clear for o32. */
const EF_MIPS_ABI2 = 0x20;

/** A magic and mask pair for binfmt_misc, compared at offset 0. */
export interface MagicMask {
  readonly magic: Uint8Array;
  readonly mask: Uint8Array;
  /** `catalogue` when the header is a known target's, whose own pair is returned. */
  readonly source: 'catalogue' | 'derived';
  /** The catalogue target whose pair this is, when `source` is `catalogue`. */
  readonly target: Target | null;
}

/** A header no emulator entry should be derived from. */
export interface DeriveError {
  readonly kind: 'not-executable';
  /** e_type of the header. */
  readonly type: number;
}

function headerMatches(target: Target, bytes: Uint8Array): boolean {
  return target.magic.every((value, index) => (((bytes[index] ?? 0) ^ value) & (target.mask[index] as number)) === 0);
}

/**
 * Derive the magic/mask pair QEMU's rules give an ELF file, to register an emulator for
 * a binary. When the header belongs to exactly one catalogue target, that target's own
 * pair is returned, so the result accepts exactly what the catalogue entry accepts.
 * Otherwise the pair follows QEMU's rules:
 *
 * - e_ident is compared exactly, except EI_OSABI (any value; loongarch: 0–3) and, for MIPS
 *   and loongarch, EI_ABIVERSION (any value);
 * - e_type accepts both ET_EXEC and ET_DYN (PIE and static-PIE), in the file's byte order;
 * - e_machine is compared exactly;
 * - 32-bit MIPS also compares e_version and the `EF_MIPS_ABI2` bit of e_flags, which
 *   tells o32 from n32.
 *
 * Only ET_EXEC and ET_DYN files are accepted; objects and core dumps fail.
 */
export function deriveMagicMask(header: ElfHeader): Result<MagicMask, DeriveError> {
  if (header.type !== ET_EXEC && header.type !== ET_DYN) {
    return err({ kind: 'not-executable', type: header.type });
  }
  const known = targets.filter((target) => headerMatches(target, header.bytes));
  if (known.length === 1) {
    const target = known[0] as Target;
    return ok({ magic: target.magic, mask: target.mask, source: 'catalogue', target });
  }
  return ok({ ...deriveFromRules(header), source: 'derived', target: null });
}

/**
 * Apply QEMU's rules to a header without consulting the catalogue.
 * @internal
 */
export function deriveFromRules(header: ElfHeader): { magic: Uint8Array; mask: Uint8Array } {
  const mips32 = header.machine === EM_MIPS && header.class === 32;
  const length = mips32 ? 40 : 20;
  const magic = new Uint8Array(length);
  const mask = new Uint8Array(length);
  const little = header.byteOrder === 'little';
  const setByte = (index: number, value: number, bits = 0xff): void => {
    magic[index] = value & bits;
    mask[index] = bits;
  };

  // e_ident: "\x7fELF", class, data, version.
  for (let index = 0; index < 7; index += 1) setByte(index, header.bytes[index] as number);
  // EI_OSABI: 0 (System V) and 3 (GNU) both occur on Linux, and no single mask accepts just those two.
  if (header.machine === EM_LOONGARCH) setByte(7, 0, 0xfc);
  else setByte(7, 0, 0x00);
  // EI_ABIVERSION: gcc -mplt sets 1 on MIPS; loongarch leaves room for psABI bumps.
  if (header.machine === EM_MIPS || header.machine === EM_LOONGARCH) setByte(8, 0, 0x00);
  else setByte(8, header.abiVersion);
  for (let index = 9; index < 16; index += 1) setByte(index, 0);

  // e_type: ET_EXEC (2) and ET_DYN (3) differ only in bit 0 of the low byte.
  const typeLow = little ? 16 : 17;
  const typeHigh = little ? 17 : 16;
  setByte(typeLow, ET_EXEC, 0xfe);
  setByte(typeHigh, 0);
  // e_machine, in file byte order.
  setByte(18, header.bytes[18] as number);
  setByte(19, header.bytes[19] as number);

  if (mips32) {
    // e_version is 1; e_entry, e_phoff and e_shoff (bytes 24–35) stay unmasked.
    for (let index = 20; index < 24; index += 1) setByte(index, header.bytes[index] as number);
    const flagsLowByte = little ? 36 : 39;
    setByte(flagsLowByte, header.flags & EF_MIPS_ABI2, EF_MIPS_ABI2);
  }
  return { magic, mask };
}
