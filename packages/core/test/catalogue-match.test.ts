import {
  createMagicRecord,
  deriveMagicMask,
  type ElfHeader,
  type MagicRecord,
  matchFile,
  parseElfHeader,
  recordForTarget,
  recordMismatch,
  type TargetName,
  targetByName,
  targets,
} from '@qus/core';
import { describe, expect, it } from 'vitest';
import { deriveFromRules } from '../src/derive.js';
import {
  BUSYBOX_ARCHITECTURES,
  BUSYBOX_TARGET,
  buildElfHeader,
  busyboxHeader,
  type HeaderFields,
  TARGET_FIELDS,
} from './support/headers.js';

const records: MagicRecord[] = targets.map((target) => recordForTarget(target));
const entries = records.map((record) => ({ record, enabled: true }));

function header(bytes: Uint8Array): ElfHeader {
  return parseElfHeader(bytes)._unsafeUnwrap();
}

/** The targets whose catalogue entry accepts the bytes, by the kernel's rule. */
function matchingTargets(bytes: Uint8Array): TargetName[] {
  return targets
    .filter((_, index) => recordMismatch(records[index] as MagicRecord, { bytes }) === null)
    .map((target) => target.name);
}

/** ET_EXEC and ET_DYN, each with EI_OSABI 0 (System V) and 3 (GNU), for one target. */
function syntheticVariants(name: TargetName): { label: string; bytes: Uint8Array }[] {
  const fields: HeaderFields = TARGET_FIELDS[name];
  return [
    { label: 'ET_EXEC, OSABI 0', bytes: buildElfHeader({ ...fields, type: 2, osAbi: 0 }) },
    { label: 'ET_EXEC, OSABI 3', bytes: buildElfHeader({ ...fields, type: 2, osAbi: 3 }) },
    { label: 'ET_DYN, OSABI 0', bytes: buildElfHeader({ ...fields, type: 3, osAbi: 0 }) },
    { label: 'ET_DYN, OSABI 3', bytes: buildElfHeader({ ...fields, type: 3, osAbi: 3 }) },
  ];
}

const targetNames = targets.map((target) => target.name);
const genuineTargets = targetNames.filter((name) => name !== 'microblaze');

describe('catalogue against real busybox headers', () => {
  it.each(BUSYBOX_ARCHITECTURES)('matches busybox %s to its target only', (architecture) => {
    const bytes = busyboxHeader(architecture);

    const matching = matchingTargets(bytes);

    expect(matching).toEqual([BUSYBOX_TARGET[architecture]]);
  });

  it.each(BUSYBOX_ARCHITECTURES)('picks the target of busybox %s as winner', (architecture) => {
    const bytes = busyboxHeader(architecture);

    const result = matchFile({ bytes }, entries);

    expect(result.winner?.record.name).toBe(`qemu-${BUSYBOX_TARGET[architecture]}`);
    expect(result.rejected.every((rejection) => rejection.reason.kind === 'byte-mismatch')).toBe(true);
  });

  it.each(BUSYBOX_ARCHITECTURES)('derives the catalogue pair for busybox %s', (architecture) => {
    const parsed = header(busyboxHeader(architecture));

    const derived = deriveMagicMask(parsed)._unsafeUnwrap();

    expect(derived.source).toBe('catalogue');
    expect(derived.target?.name).toBe(BUSYBOX_TARGET[architecture]);
  });
});

describe('catalogue against synthetic headers', () => {
  it.each(genuineTargets)('matches %s headers to that target only', (name) => {
    for (const variant of syntheticVariants(name)) {
      const matching = matchingTargets(variant.bytes);

      expect(matching, variant.label).toEqual([name]);
    }
  });

  it('matches no target for a genuine big-endian microblaze header', () => {
    // Upstream's microblaze magic has e_type in little-endian order (02 00 at bytes 16–17),
    // but a big-endian file stores ET_EXEC as 00 02, so QEMU's entry misses real binaries.
    const bytes = buildElfHeader(TARGET_FIELDS.microblaze);
    const microblaze = records[targetNames.indexOf('microblaze')] as MagicRecord;

    const matching = matchingTargets(bytes);
    const mismatch = recordMismatch(microblaze, { bytes });

    expect(matching).toEqual([]);
    expect(mismatch).toEqual({ kind: 'byte-mismatch', offset: 16, expected: 0x02, actual: 0x00, mask: 0xfe });
  });

  it('matches microblaze only with e_type in little-endian order', () => {
    const bytes = buildElfHeader(TARGET_FIELDS.microblaze);
    bytes[16] = 0x02;
    bytes[17] = 0x00;

    const matching = matchingTargets(bytes);

    expect(matching).toEqual(['microblaze']);
  });

  it('tells MIPS o32 from n32 by EF_MIPS_ABI2', () => {
    const o32 = TARGET_FIELDS.mips;
    const o32Little = TARGET_FIELDS.mipsel;

    const n32 = matchingTargets(buildElfHeader({ ...o32, flags: (o32.flags ?? 0) | 0x20 }));
    const n32Little = matchingTargets(buildElfHeader({ ...o32Little, flags: (o32Little.flags ?? 0) | 0x20 }));

    expect(n32).toEqual(['mipsn32']);
    expect(n32Little).toEqual(['mipsn32el']);
  });

  it('rejects relocatable objects and core dumps', () => {
    const object = header(buildElfHeader({ ...TARGET_FIELDS.aarch64, type: 1 }));
    const core = header(buildElfHeader({ ...TARGET_FIELDS.aarch64, type: 4 }));

    expect(matchingTargets(object.bytes)).toEqual([]);
    expect(matchingTargets(core.bytes)).toEqual([]);
    expect(deriveMagicMask(object)._unsafeUnwrapErr()).toEqual({ kind: 'not-executable', type: 1 });
    expect(deriveMagicMask(core)._unsafeUnwrapErr()).toEqual({ kind: 'not-executable', type: 4 });
  });
});

describe('deriveMagicMask', () => {
  it.each(genuineTargets)('returns the catalogue pair of %s', (name) => {
    for (const variant of syntheticVariants(name)) {
      const derived = deriveMagicMask(header(variant.bytes))._unsafeUnwrap();

      expect(derived.source, variant.label).toBe('catalogue');
      expect(derived.target?.name, variant.label).toBe(name);
      expect(derived.magic, variant.label).toEqual(targetByName(name).magic);
      expect(derived.mask, variant.label).toEqual(targetByName(name).mask);
    }
  });

  it('derives a pair for a genuine big-endian microblaze header', () => {
    const bytes = buildElfHeader(TARGET_FIELDS.microblaze);

    const derived = deriveMagicMask(header(bytes))._unsafeUnwrap();
    const record = createMagicRecord({ name: 'derived', magic: derived.magic, mask: derived.mask, interpreter: '/x' });

    expect(derived.source).toBe('derived');
    expect(derived.target).toBeNull();
    expect(recordMismatch(record, { bytes })).toBeNull();
  });
});

describe('deriveFromRules', () => {
  // Upstream entries whose bytes do not follow from QEMU's own rules: x86 and alpha accept
  // EI_DATA and EI_VERSION 0 (mask 0xfe), m68k accepts EI_VERSION 0, ppc64le ignores the
  // high byte of e_machine, and big-endian microblaze has e_type in little-endian order.
  const quirky = ['alpha', 'i386', 'i486', 'm68k', 'microblaze', 'ppc64le', 'x86_64'];

  it('equals the catalogue except the quirky entries', () => {
    const differing = targets
      .filter((target) => {
        const rules = deriveFromRules(header(buildElfHeader(TARGET_FIELDS[target.name])));
        return !(equalBytes(rules.magic, target.magic) && equalBytes(rules.mask, target.mask));
      })
      .map((target) => target.name)
      .sort();

    expect(differing).toEqual(quirky);
  });

  it.each(targetNames)('accepts the same headers as the %s entry', (name) => {
    const target = targetByName(name);
    const rules = deriveFromRules(header(buildElfHeader(TARGET_FIELDS[name])));
    const derived = createMagicRecord({ name: 'derived', magic: rules.magic, mask: rules.mask, interpreter: '/x' });
    const catalogue = recordForTarget(target);
    const allHeaders = [
      ...targetNames.flatMap((other) => syntheticVariants(other).map((variant) => variant.bytes)),
      ...BUSYBOX_ARCHITECTURES.map((architecture) => busyboxHeader(architecture)),
    ];

    const disagreements = allHeaders.filter(
      (bytes) => (recordMismatch(derived, { bytes }) === null) !== (recordMismatch(catalogue, { bytes }) === null),
    );

    // The microblaze entry accepts none of the genuine headers; the rules accept its own four.
    expect(disagreements).toHaveLength(name === 'microblaze' ? 4 : 0);
  });
});

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}
