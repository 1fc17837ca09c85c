import {
  type BinfmtRecord,
  createFlags,
  createMagicRecord,
  deriveMagicMask,
  type ElfHeader,
  type ElfHeaderError,
  formatRegisterString,
  type InvalidRecordError,
  type InvalidRegisterStringError,
  KERNEL_RULE_ERRNO,
  type KernelRule,
  type MagicMask,
  type MagicRecord,
  type MatchResult,
  matchFile,
  type ParsedRegisterString,
  parseRegisterString,
  readElfHeader,
  register,
  resolveTarget,
  type Target,
  type TargetName,
  targetByName,
  type UnknownTargetError,
  validateRecord,
} from '@qus/core';
import type { Result } from 'neverthrow';
import { describe, expectTypeOf, it } from 'vitest';

describe('public API types', () => {
  it('returns Results for expected failures', () => {
    expectTypeOf(parseRegisterString).returns.toEqualTypeOf<Result<ParsedRegisterString, InvalidRegisterStringError>>();
    expectTypeOf(formatRegisterString).returns.toEqualTypeOf<Result<string, InvalidRecordError>>();
    expectTypeOf(validateRecord).returns.toEqualTypeOf<Result<BinfmtRecord, InvalidRecordError>>();
    expectTypeOf(resolveTarget).returns.toEqualTypeOf<Result<Target, UnknownTargetError>>();
    expectTypeOf(readElfHeader).returns.resolves.toEqualTypeOf<Result<ElfHeader, ElfHeaderError>>();
    expectTypeOf(deriveMagicMask).returns.toMatchTypeOf<Result<MagicMask, unknown>>();
    expectTypeOf(register).returns.toEqualTypeOf<Result<MagicRecord[], UnknownTargetError | InvalidRecordError>>();
  });

  it('narrows records by kind', () => {
    const record = {} as BinfmtRecord;

    if (record.kind === 'magic') {
      expectTypeOf(record.magic).toEqualTypeOf<Uint8Array>();
      expectTypeOf(record.mask).toEqualTypeOf<Uint8Array | null>();
    } else {
      expectTypeOf(record.extension).toEqualTypeOf<string>();
    }
  });

  it('maps every kernel rule to an errno', () => {
    expectTypeOf(KERNEL_RULE_ERRNO).toEqualTypeOf<Readonly<Record<KernelRule, 'EINVAL' | 'EEXIST' | 'ENAMETOOLONG'>>>();
  });

  it('takes only QEMU names in targetByName', () => {
    expectTypeOf(targetByName).parameter(0).toEqualTypeOf<TargetName>();

    // @ts-expect-error: a Debian architecture is no QEMU name; resolveTarget takes those.
    targetByName('arm64');
  });

  it('rejects misuse at compile time', () => {
    // @ts-expect-error: a magic record needs an interpreter.
    createMagicRecord({ name: 'x', magic: new Uint8Array(1) });

    // @ts-expect-error: records are read-only.
    createMagicRecord({ name: 'x', magic: new Uint8Array(1), interpreter: '/x' }).name = 'y';

    // @ts-expect-error: flags are letters or booleans, not numbers.
    createFlags(3);

    const bare = createMagicRecord({ name: 'x', magic: new Uint8Array(1), interpreter: '/x' });
    // @ts-expect-error: matchFile takes installed entries, not bare records.
    matchFile({ bytes: new Uint8Array() }, [bare]);

    expectTypeOf(matchFile).returns.toEqualTypeOf<MatchResult>();
  });

  it('keeps error unions closed', () => {
    const error = {} as ElfHeaderError;

    expectTypeOf(error.kind).toEqualTypeOf<
      | 'not-found'
      | 'unreadable'
      | 'is-directory'
      | 'not-regular-file'
      | 'not-elf'
      | 'truncated'
      | 'invalid-class'
      | 'invalid-byte-order'
      | 'invalid-program-headers'
    >();
  });
});
