import { formatRegisterString, parseRegisterString, targetByName } from '@qus/core';
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
    const record = recordForTarget(targetByName('arm'));

    const formatted = formatRegisterString(record, { delimiter: 'P' });

    expect(formatted._unsafeUnwrapErr().issues).toEqual([
      { severity: 'kernel', rule: 'delimiter-invalid', field: 'register-string', value: 'P' },
    ]);
  });

  it('accepts other letters as delimiter', () => {
    const text = 'QqusQEQQqQQ/bin/iQ\n';

    const parsed = parseRegisterString(text)._unsafeUnwrap();

    expect(parsed.delimiter).toBe('Q');
    expect(parsed.record).toMatchObject({ kind: 'extension', name: 'qus', extension: 'q', interpreter: '/bin/i' });
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
});
