import {
  type BinfmtRecord,
  createExtensionRecord,
  createMagicRecord,
  formatEntryStatus,
  formatRegisterString,
  parseElfHeader,
  parseEntryStatus,
  parseRegisterString,
  readElfHeader,
  recordsEqual,
  validateRecord,
} from '@qus/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = { numRuns: 2000 };

/** Text made of the characters that break naive parsers, plus any other character. */
const trickyText = (options: { minLength?: number; maxLength?: number; exclude?: string } = {}) =>
  fc
    .string({
      unit: fc.oneof(
        fc.constantFrom(':', '\\', 'x', '\n', ' ', '\t', '.', '/', '\0', '|', 'é', '\u{1f600}', 'P', 'F'),
        fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
      ),
      minLength: options.minLength ?? 0,
      maxLength: options.maxLength ?? 40,
    })
    .filter((text) => ![...(options.exclude ?? '')].some((character) => text.includes(character)));

/** Bytes that start like an ELF file more often than chance would. */
const elfLikeBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc
    .tuple(fc.constantFrom(1, 2), fc.constantFrom(0, 1, 2, 3), fc.uint8Array({ maxLength: 400 }))
    .map(([elfClass, data, rest]) => Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, elfClass, data, ...rest])),
);

const flags = fc.record({
  preserveArgv0: fc.boolean(),
  openBinary: fc.boolean(),
  credentials: fc.boolean(),
  fixBinary: fc.boolean(),
});

const magicRecord = fc
  .record({
    name: trickyText({ minLength: 1, exclude: ':/\0' }),
    magic: fc.uint8Array({ minLength: 1, maxLength: 128 }),
    maskBytes: fc.option(fc.uint8Array({ minLength: 128, maxLength: 128 })),
    offset: fc.nat({ max: 255 }),
    interpreter: trickyText({ minLength: 1, exclude: ':\0' }),
    flags,
  })
  .map(({ maskBytes, magic, offset, ...rest }) =>
    createMagicRecord({
      ...rest,
      magic,
      mask: maskBytes === null ? null : maskBytes.subarray(0, magic.length),
      offset: Math.min(offset, 256 - magic.length),
    }),
  );

// NOTE: extensions exclude newlines, which the kernel's entry file cannot express unambiguously.
const extensionRecord = fc
  .record({
    name: trickyText({ minLength: 1, exclude: ':/\0' }),
    extension: trickyText({ minLength: 1, exclude: ':/\0\n' }),
    interpreter: trickyText({ minLength: 1, exclude: ':\0' }),
    flags,
  })
  .map((init) => createExtensionRecord(init));

/** Records the kernel accepts, with the safety rules off. */
const validRecord: fc.Arbitrary<BinfmtRecord> = fc
  .oneof(magicRecord, extensionRecord)
  .filter((record) => validateRecord(record, { strict: false }).isOk());

describe('parsers on any input', () => {
  it('parseRegisterString never throws on bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const result = parseRegisterString(bytes);

        expect(result.isOk() || result.isErr()).toBe(true);
      }),
      RUNS,
    );
  });

  it('parseRegisterString never throws on text', () => {
    fc.assert(
      fc.property(trickyText({ maxLength: 200 }), (text) => {
        const result = parseRegisterString(`:${text}`);

        expect(result.isOk() || result.isErr()).toBe(true);
      }),
      RUNS,
    );
  });

  it('parseEntryStatus never throws', () => {
    const line = fc.oneof(
      trickyText(),
      fc.constantFrom('enabled', 'disabled', 'flags: ', 'offset 0', 'magic 00', 'mask ff', 'extension .x'),
      trickyText().map((text) => `interpreter ${text}`),
      trickyText().map((text) => `magic ${text}`),
    );
    fc.assert(
      fc.property(fc.string(), fc.array(line, { maxLength: 8 }), (name, lines) => {
        const result = parseEntryStatus(name, lines.join('\n'));

        expect(result.isOk() || result.isErr()).toBe(true);
      }),
      RUNS,
    );
  });

  it('parseElfHeader never throws', () => {
    fc.assert(
      fc.property(elfLikeBytes, (bytes) => {
        const result = parseElfHeader(bytes);

        expect(result.isOk() || result.isErr()).toBe(true);
      }),
      RUNS,
    );
  });

  it('readElfHeader never rejects on bytes', async () => {
    await fc.assert(
      fc.asyncProperty(elfLikeBytes, async (bytes) => {
        const result = await readElfHeader(bytes, { programHeaders: true });

        expect(result.isOk() || result.isErr()).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('round trips of valid records', () => {
  it('survive formatRegisterString and parseRegisterString', () => {
    fc.assert(
      fc.property(validRecord, fc.constantFrom(':', '|', '#', ','), (record, delimiter) => {
        const formatted = formatRegisterString(record, { delimiter });
        if (formatted.isErr()) {
          // Only a delimiter inside a field, or this library's longer spelling, may fail.
          expect(formatted.error.issues.map((issue) => issue.rule)).toSatisfy((rules: string[]) =>
            rules.every((rule) => rule === 'field-contains-delimiter' || rule === 'register-length'),
          );
          return;
        }

        const parsed = parseRegisterString(formatted.value);

        expect(parsed.isOk()).toBe(true);
        expect(recordsEqual(parsed._unsafeUnwrap().record, record)).toBe(true);
      }),
      RUNS,
    );
  });

  it('survive formatEntryStatus and parseEntryStatus', () => {
    fc.assert(
      fc.property(validRecord, fc.boolean(), (record, enabled) => {
        const text = formatEntryStatus({ record, enabled });

        const parsed = parseEntryStatus(record.name, text);

        expect(parsed.isOk()).toBe(true);
        expect(parsed._unsafeUnwrap().enabled).toBe(enabled);
        expect(recordsEqual(parsed._unsafeUnwrap().record, record)).toBe(true);
      }),
      RUNS,
    );
  });
});
