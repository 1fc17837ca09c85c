/**
 * Register strings for the differential test against the kernel: a valid base string and
 * mutations of every field, spelled byte by byte. Every interpreter path here is missing
 * on purpose, so a string with `F` that parses makes the kernel open a file that does not
 * exist and fail with ENOENT, never pin a real program.
 */

/** One string to write to `register`, with a label that says what it exercises. */
export interface RegisterCase {
  readonly label: string;
  readonly bytes: Buffer;
}

/** The seven fields and the flags of a register string, as raw bytes. */
interface Fields {
  readonly delimiter: Buffer;
  readonly name: Buffer;
  readonly type: Buffer;
  readonly offset: Buffer;
  readonly magic: Buffer;
  readonly mask: Buffer;
  readonly interpreter: Buffer;
  readonly flags: Buffer;
  /** Written after the flags delimiter is dropped: `false` leaves out the delimiter before the flags. */
  readonly finalDelimiter: boolean;
}

/** Bytes of a text whose characters are all below 256, one byte each. */
function raw(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

function hexEscapes(bytes: number[]): string {
  return bytes.map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
}

const MISSING_INTERPRETER = '/nonexistent/qus-interpreter';

const BASE: Fields = {
  delimiter: raw(':'),
  name: raw('qus-test'),
  type: raw('M'),
  offset: raw(''),
  magic: raw(String.raw`\x7fELF\x02\x01\x01`),
  mask: raw(String.raw`\xff\xff\xff\xff\xff\xff\xff`),
  interpreter: raw(MISSING_INTERPRETER),
  flags: raw(''),
  finalDelimiter: true,
};

function assemble(fields: Fields): Buffer {
  const d = fields.delimiter;
  const parts = [d, fields.name, d, fields.type, d, fields.offset, d, fields.magic, d, fields.mask, d];
  parts.push(fields.interpreter);
  if (fields.finalDelimiter) parts.push(d);
  parts.push(fields.flags);
  return Buffer.concat(parts);
}

const twoHundredFiftySix = Array.from({ length: 256 }, (_, index) => index);

/** Values for each field, labelled. Raw bytes are spelled with latin1 escapes. */
const VARIANTS: Readonly<Record<Exclude<keyof Fields, 'finalDelimiter'>, readonly [string, Buffer][]>> = {
  delimiter: [
    ['colon', raw(':')],
    ['pipe', raw('|')],
    ['comma', raw(',')],
    ['hash', raw('#')],
    ['space', raw(' ')],
    ['SOH byte', raw('\x01')],
    ['NUL byte', raw('\x00')],
    ['newline', raw('\n')],
    ['byte 0xff', raw('\xff')],
    ['backslash', raw('\\')],
    ['letter x', raw('x')],
    ['digit 5', raw('5')],
    ['letter P', raw('P')],
  ],
  name: [
    ['plain', raw('qus-test')],
    ['empty', raw('')],
    ['dot', raw('.')],
    ['dot dot', raw('..')],
    ['three dots', raw('...')],
    ['leading dot', raw('.qus')],
    ['register', raw('register')],
    ['status', raw('status')],
    ['slash', raw('/')],
    ['inner slash', raw('qus/test')],
    ['space', raw('qus test')],
    ['newline', raw('qus\ntest')],
    ['tab', raw('qus\ttest')],
    ['colon', raw('qus:test')],
    ['backslash', raw('qus\\test')],
    ['UTF-8', utf8('qus-é')],
    ['byte 0xff', raw('qus\xff')],
    ['raw NUL', raw('qus\x00test')],
    ['255 bytes', raw('n'.repeat(255))],
    ['256 bytes', raw('n'.repeat(256))],
    ['255 bytes of 0xff', raw('\xff'.repeat(255))],
    ['200 bytes', raw('n'.repeat(200))],
  ],
  type: [
    ['M', raw('M')],
    ['E', raw('E')],
    ['lower m', raw('m')],
    ['lower e', raw('e')],
    ['MM', raw('MM')],
    ['empty', raw('')],
    ['X', raw('X')],
    ['NUL', raw('\x00')],
  ],
  offset: [
    ['empty', raw('')],
    ['0', raw('0')],
    ['5', raw('5')],
    ['+5', raw('+5')],
    ['-0', raw('-0')],
    ['-1', raw('-1')],
    ['010', raw('010')],
    ['0x10', raw('0x10')],
    ['5 newline', raw('5\n')],
    ['5 two newlines', raw('5\n\n')],
    ['INT_MAX', raw('2147483647')],
    ['INT_MAX+1', raw('2147483648')],
    ['leading space', raw(' 5')],
    ['trailing space', raw('5 ')],
    ['many zeros', raw('00000000000000000000001')],
    ['-+0', raw('-+0')],
    ['+-0', raw('+-0')],
    ['++5', raw('++5')],
    ['-', raw('-')],
    ['+', raw('+')],
    ['236', raw('236')],
    ['237', raw('237')],
    ['249', raw('249')],
    ['250', raw('250')],
    ['raw NUL', raw('5\x00')],
    ['huge', raw('99999999999999999999999')],
  ],
  magic: [
    ['ELF prefix', raw(String.raw`\x7fELF\x02\x01\x01`)],
    ['letters', raw('ABCDEFG')],
    ['one hex digit', raw(String.raw`\x4`)],
    ['one hex digit then letter', raw(String.raw`\x4GABCDE`)],
    ['bad hex', raw(String.raw`\xZZABCDE`)],
    ['escaped backslash', raw(String.raw`\\x41BCDE`)],
    ['upper X', raw(String.raw`\X41BCDE`)],
    ['upper hex digits', raw(String.raw`\x7F\xAB\xcdDEFG`)],
    ['escaped NUL inside', raw(String.raw`AB\x00CDEFG`)],
    ['escaped NUL first', raw(String.raw`\x00ABCDEF`)],
    ['raw NUL inside', raw('ABC\x00DEF')],
    ['raw NUL first', raw('\x00ABCDEF')],
    ['empty', raw('')],
    ['escaped colon', raw(String.raw`AB\x3aCDEF`)],
    ['raw colon', raw('AB:CDEF')],
    ['raw high bytes', raw('\xff\xfe\x80ABCD')],
    ['trailing backslash', raw('ABCDEF\\')],
    ['backslash n', raw(String.raw`AB\nCDEF`)],
    ['escape of the delimiter digit', raw(String.raw`\x3a\x7c\x2c\x23`)],
    ['256 bytes', raw(hexEscapes(twoHundredFiftySix))],
    ['257 bytes', raw(hexEscapes([...twoHundredFiftySix, 0]))],
    ['20 bytes', raw(hexEscapes(Array.from({ length: 20 }, (_, index) => index + 1)))],
    ['1 byte', raw('A')],
  ],
  mask: [
    ['seven 0xff', raw(String.raw`\xff\xff\xff\xff\xff\xff\xff`)],
    ['empty', raw('')],
    ['six bytes', raw(String.raw`\xff\xff\xff\xff\xff\xff`)],
    ['eight bytes', raw(String.raw`\xff\xff\xff\xff\xff\xff\xff\xff`)],
    ['bad hex', raw(String.raw`\xff\xZZ\xff\xff\xff\xff\xff`)],
    ['raw NUL first', raw('\x00\xff\xff')],
    ['raw NUL inside', raw('\xff\xff\x00\xff\xff\xff\xff')],
    ['letters', raw('abcdefg')],
    ['all zero', raw(String.raw`\x00\x00\x00\x00\x00\x00\x00`)],
    ['256 bytes', raw(hexEscapes(twoHundredFiftySix.map(() => 0xff)))],
    ['20 bytes', raw(hexEscapes(Array.from({ length: 20 }, () => 0xfe)))],
    ['one byte', raw('A')],
  ],
  interpreter: [
    ['missing absolute', raw(MISSING_INTERPRETER)],
    ['empty', raw('')],
    ['relative', raw('nonexistent/qus-interpreter')],
    ['space', raw('/nonexistent/qus interpreter')],
    ['newline', raw('/nonexistent/qus\ninterpreter')],
    ['trailing newline', raw('/nonexistent/qus-interpreter\n')],
    ['UTF-8', utf8('/nonexistent/qus-é')],
    ['raw NUL', raw('/nonexistent/qus\x00interpreter')],
    ['backslash', raw('/nonexistent/qus\\x41')],
    ['300 bytes', raw(`/nonexistent/${'i'.repeat(287)}`)],
  ],
  flags: [
    ['none', raw('')],
    ['P', raw('P')],
    ['O', raw('O')],
    ['C', raw('C')],
    ['F', raw('F')],
    ['POCF', raw('POCF')],
    ['FCP', raw('FCP')],
    ['OC', raw('OC')],
    ['PP', raw('PP')],
    ['lower p', raw('p')],
    ['X', raw('X')],
    ['P newline', raw('P\n')],
    ['newline', raw('\n')],
    ['two newlines', raw('\n\n')],
    ['CR LF', raw('\r\n')],
    ['trailing colon', raw(':')],
    ['P colon', raw('P:')],
    ['space', raw(' ')],
    ['P space', raw('P ')],
    ['NUL', raw('\x00')],
  ],
};

const FIELD_NAMES = Object.keys(VARIANTS) as (keyof typeof VARIANTS)[];

/** Valid extension (`E`) strings and mutations of their fields. */
function extensionCases(): RegisterCase[] {
  const extensionBase: Fields = { ...BASE, type: raw('E'), magic: raw('qus'), mask: raw(''), offset: raw('') };
  const variants: [string, Partial<Fields>][] = [
    ['valid', {}],
    ['offset garbage ignored', { offset: raw('garbage-0x10') }],
    ['offset -1 ignored', { offset: raw('-1') }],
    ['mask garbage ignored', { mask: raw(String.raw`\xZZ`) }],
    ['empty extension', { magic: raw('') }],
    ['extension with slash', { magic: raw('a/b') }],
    ['extension with dot', { magic: raw('tar.gz') }],
    ['extension with escape kept verbatim', { magic: raw(String.raw`\x41`) }],
    ['extension with raw NUL', { magic: raw('q\x00s') }],
    ['extension with space', { magic: raw('q s') }],
    ['extension with backslash', { magic: raw('q\\') }],
    ['extension of 300 bytes', { magic: raw('e'.repeat(300)) }],
    ['offset with raw NUL', { offset: raw('\x00') }],
    ['mask with raw NUL', { mask: raw('\x00') }],
    ['missing final delimiter', { finalDelimiter: false }],
    ['flags P newline', { flags: raw('P\n') }],
    ['flags F', { flags: raw('F') }],
    ['name status', { name: raw('status') }],
  ];
  return variants.map(([label, change]) => ({
    label: `E: ${label}`,
    bytes: assemble({ ...extensionBase, ...change }),
  }));
}

/** Strings whose total length sits on the kernel's limits (11 and 1920 bytes). */
function lengthCases(): RegisterCase[] {
  const cases: RegisterCase[] = [];
  // ":a:E::b::/:" is 11 bytes; dropping one byte gives 10.
  cases.push({ label: 'length 10', bytes: raw(':a:E::b::/') });
  cases.push({ label: 'length 11', bytes: raw(':a:E::b::/:') });
  cases.push({ label: 'length 11 with newline', bytes: raw(':a:E::b::/\n') });
  const prefix = assemble({ ...BASE, interpreter: raw('') });
  for (const total of [1919, 1920, 1921, 2000]) {
    for (const suffix of ['', '\n']) {
      // Fill the interpreter so that the string is exactly `total` bytes.
      const fill = total - prefix.length - suffix.length - 1;
      const interpreter = raw(`/${'i'.repeat(fill)}`);
      const bytes = Buffer.concat([assemble({ ...BASE, interpreter }), raw(suffix)]);
      cases.push({ label: `length ${bytes.length}${suffix === '' ? '' : ' with newline'}`, bytes });
    }
  }
  return cases;
}

/** Offset and magic size around the 256-byte buffer. */
function bufferCases(): RegisterCase[] {
  const cases: RegisterCase[] = [];
  for (const [offset, size] of [
    [0, 256],
    [0, 257],
    [236, 20],
    [237, 20],
    [255, 1],
    [256, 1],
    [1, 255],
    [1, 256],
  ] as const) {
    const magic = raw(hexEscapes(Array.from({ length: size }, (_, index) => index & 0xff)));
    for (const mask of [raw(''), raw(hexEscapes(Array.from({ length: size }, () => 0xff)))]) {
      cases.push({
        label: `offset ${offset} + ${size} bytes, ${mask.length === 0 ? 'no mask' : 'mask'}`,
        bytes: assemble({ ...BASE, offset: raw(String(offset)), magic, mask }),
      });
    }
  }
  return cases;
}

/** A seeded xorshift generator, so that the strings are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/**
 * At least `count` register strings: every single-field mutation of the base with each
 * delimiter, the E, length and buffer cases, and random combinations of field values.
 */
export function generateRegisterCases(count = 1500, seed = 0x5eed): RegisterCase[] {
  const cases: RegisterCase[] = [...extensionCases(), ...lengthCases(), ...bufferCases()];
  cases.push({ label: 'base', bytes: assemble(BASE) });
  cases.push({ label: 'missing final delimiter', bytes: assemble({ ...BASE, finalDelimiter: false }) });
  cases.push({
    label: 'missing final delimiter, newline',
    bytes: assemble({ ...BASE, finalDelimiter: false, interpreter: raw(`${MISSING_INTERPRETER}\n`) }),
  });

  for (const [delimiterLabel, delimiter] of VARIANTS.delimiter) {
    for (const field of FIELD_NAMES) {
      if (field === 'delimiter') continue;
      for (const [label, value] of VARIANTS[field]) {
        cases.push({
          label: `delimiter ${delimiterLabel}, ${field} ${label}`,
          bytes: assemble({ ...BASE, delimiter, [field]: value }),
        });
      }
    }
  }

  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  while (cases.length < count) {
    const chosen = FIELD_NAMES.map((field) => [field, pick(VARIANTS[field])] as const);
    const fields = Object.fromEntries(chosen.map(([field, [, value]]) => [field, value]));
    const finalDelimiter = next() > 0.05;
    cases.push({
      label: `random: ${chosen.map(([field, [label]]) => `${field} ${label}`).join(', ')}${finalDelimiter ? '' : ', no final delimiter'}`,
      bytes: assemble({ ...BASE, ...fields, finalDelimiter }),
    });
  }
  return cases;
}
