import { formatRegisterString, parseRegisterString, recordsEqual, targetByName } from '@qus/core';
import { describe, expect, it } from 'vitest';
import { recordForTarget } from '../src/register.js';

function rule(input: string | Uint8Array): string {
  const parsed = parseRegisterString(input);
  return parsed.isErr() ? parsed.error.issue.rule : 'accepted';
}

describe('parseRegisterString', () => {
  it('rejects an offset with both signs', () => {
    const text = ':qus:M:-+0:ABC::/bin/i:';

    const parsed = parseRegisterString(text);

    expect(parsed._unsafeUnwrapErr().issue).toEqual({
      severity: 'kernel',
      rule: 'offset-invalid',
      field: 'offset',
      value: '-+0',
    });
  });

  it('reads offsets as kstrtoint does', () => {
    const offsets = ['', '0', '+5', '-0', '010', '5\n', '2147483647'];

    const values = offsets.map((offset) => {
      const parsed = parseRegisterString(`:qus:M:${offset}:A::/bin/i:`);
      return parsed.isOk() && parsed.value.record.kind === 'magic' ? parsed.value.record.offset : 'rejected';
    });

    expect(values).toEqual([0, 0, 5, 0, 10, 5, 'rejected']);
  });

  it('counts the name limit in bytes as written', () => {
    const name255 = new Uint8Array(255).fill(0xff);
    const name256 = new Uint8Array(256).fill(0xff);
    const build = (name: Uint8Array): Uint8Array =>
      Uint8Array.from([...Buffer.from(':'), ...name, ...Buffer.from(':E::q::/bin/i:')]);

    expect(rule(build(name255))).toBe('accepted');
    expect(rule(build(name256))).toBe('name-too-long');
  });

  it('rejects a flag letter as delimiter', () => {
    const strings = ['PqusPEPPqPP/bin/iP\n', 'OqusOEOOqOO/bin/iO\n', 'CqusCECCqCC/bin/iC\n', 'FqusFEFFqFF/bin/iF\n'];

    const rules = strings.map(rule);

    expect(rules).toEqual(['delimiter-invalid', 'delimiter-invalid', 'delimiter-invalid', 'delimiter-invalid']);
  });

  it('accepts other letters as delimiter', () => {
    const text = 'QqusQEQQqQQ/bin/iQ\n';

    const parsed = parseRegisterString(text)._unsafeUnwrap();

    expect(parsed.delimiter).toBe('Q');
    expect(parsed.record).toMatchObject({ kind: 'extension', name: 'qus', extension: 'q', interpreter: '/bin/i' });
  });

  it('decodes escapes as string_unescape does', () => {
    const text = String.raw`:qus:M::\x41\\x41\X41\x00B::/bin/i:`;

    const parsed = parseRegisterString(text)._unsafeUnwrap();

    expect(parsed.record.kind === 'magic' && Buffer.from(parsed.record.magic).toString('latin1')).toBe(
      'A\\\\x41\\X41\x00B',
    );
  });

  it('stops the magic at a raw NUL', () => {
    const text = ':qus:M::AB\0CD:\0ff:/bin/i:';

    const parsed = parseRegisterString(text)._unsafeUnwrap();

    expect(parsed.record).toMatchObject({ magic: Uint8Array.from([0x41, 0x42]), mask: null });
  });

  it('round-trips every catalogue record', () => {
    const records = ['aarch64', 'mips', 'loongarch64', 'hppa'].map((name) =>
      recordForTarget(targetByName(name as 'aarch64'), { flags: 'POCF' }),
    );

    const reparsed = records.map((record) =>
      parseRegisterString(formatRegisterString(record)._unsafeUnwrap())._unsafeUnwrap(),
    );

    expect(reparsed.every((parsed, index) => recordsEqual(parsed.record, records[index] as never))).toBe(true);
  });
});

describe('formatRegisterString', () => {
  it('rejects a flag letter as delimiter', () => {
    const record = recordForTarget(targetByName('arm'));

    const formatted = formatRegisterString(record, { delimiter: 'P' });

    expect(formatted._unsafeUnwrapErr().issues).toEqual([
      { severity: 'kernel', rule: 'delimiter-invalid', field: 'register-string', value: 'P' },
    ]);
  });

  it('writes the aarch64 line as QEMU does', () => {
    const record = recordForTarget(targetByName('aarch64'), { flags: 'F' });

    const formatted = formatRegisterString(record)._unsafeUnwrap();

    expect(formatted).toBe(
      String.raw`:qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64-static:F`,
    );
  });
});
