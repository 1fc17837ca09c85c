import {
  describeElfHeaderError,
  describeIssue,
  describeUnknownTarget,
  type ElfHeaderError,
  KERNEL_RULE_ERRNO,
  type KernelRule,
  resolveTarget,
  type SafetyRule,
  type ValidationIssue,
} from '@qus/core';
import { describe, expect, it } from 'vitest';

/** One issue per kernel rule, with the field and value each rule reports. */
const KERNEL_ISSUES: Record<KernelRule, ValidationIssue> = {
  'register-length': {
    severity: 'kernel',
    rule: 'register-length',
    field: 'register-string',
    value: '1921 bytes',
    limit: 1920,
  },
  'delimiter-invalid': { severity: 'kernel', rule: 'delimiter-invalid', field: 'register-string', value: 'P' },
  'register-incomplete': { severity: 'kernel', rule: 'register-incomplete', field: 'interpreter', value: '/bin/i' },
  'name-empty': { severity: 'kernel', rule: 'name-empty', field: 'name', value: '' },
  'name-dot': { severity: 'kernel', rule: 'name-dot', field: 'name', value: '..' },
  'name-slash': { severity: 'kernel', rule: 'name-slash', field: 'name', value: 'a/b' },
  'name-nul': { severity: 'kernel', rule: 'name-nul', field: 'name', value: 'a\0b' },
  'name-reserved': { severity: 'kernel', rule: 'name-reserved', field: 'name', value: 'status' },
  'name-too-long': { severity: 'kernel', rule: 'name-too-long', field: 'name', value: 'nnn', limit: 255 },
  'type-invalid': { severity: 'kernel', rule: 'type-invalid', field: 'type', value: 'm' },
  'offset-invalid': { severity: 'kernel', rule: 'offset-invalid', field: 'offset', value: '0x10' },
  'escape-invalid': { severity: 'kernel', rule: 'escape-invalid', field: 'magic', value: '\\xZZ' },
  'magic-empty': { severity: 'kernel', rule: 'magic-empty', field: 'magic', value: '' },
  'mask-length': {
    severity: 'kernel',
    rule: 'mask-length',
    field: 'mask',
    value: '6 bytes for a 7-byte magic',
    limit: 7,
  },
  'magic-too-long': { severity: 'kernel', rule: 'magic-too-long', field: 'magic', value: '257 bytes', limit: 256 },
  'magic-beyond-buffer': {
    severity: 'kernel',
    rule: 'magic-beyond-buffer',
    field: 'offset',
    value: 'offset 237 + 20 bytes',
    limit: 256,
  },
  'extension-empty': { severity: 'kernel', rule: 'extension-empty', field: 'extension', value: '' },
  'extension-slash': { severity: 'kernel', rule: 'extension-slash', field: 'extension', value: 'a/b' },
  'extension-nul': { severity: 'kernel', rule: 'extension-nul', field: 'extension', value: 'a\0' },
  'interpreter-empty': { severity: 'kernel', rule: 'interpreter-empty', field: 'interpreter', value: '' },
  'interpreter-nul': { severity: 'kernel', rule: 'interpreter-nul', field: 'interpreter', value: '/a\0' },
  'field-contains-delimiter': {
    severity: 'kernel',
    rule: 'field-contains-delimiter',
    field: 'name',
    value: 'a:b',
  },
  'flags-invalid': { severity: 'kernel', rule: 'flags-invalid', field: 'flags', value: 'p' },
  'fix-binary-unsupported': { severity: 'kernel', rule: 'fix-binary-unsupported', field: 'flags', value: 'F' },
};

const SAFETY_ISSUES: Record<SafetyRule, ValidationIssue> = {
  'name-whitespace': { severity: 'safety', rule: 'name-whitespace', field: 'name', value: 'a b' },
  'name-colon': { severity: 'safety', rule: 'name-colon', field: 'name', value: 'a:b' },
  'interpreter-relative': { severity: 'safety', rule: 'interpreter-relative', field: 'interpreter', value: 'bin/i' },
  'interpreter-whitespace': {
    severity: 'safety',
    rule: 'interpreter-whitespace',
    field: 'interpreter',
    value: '/bin/i -x',
  },
  'extension-dot': { severity: 'safety', rule: 'extension-dot', field: 'extension', value: 'tar.gz' },
  'extension-whitespace': { severity: 'safety', rule: 'extension-whitespace', field: 'extension', value: 'a b' },
  'mask-matches-everything': { severity: 'safety', rule: 'mask-matches-everything', field: 'mask', value: 'all zero' },
  'credentials-interpreter-unsafe': {
    severity: 'safety',
    rule: 'credentials-interpreter-unsafe',
    field: 'interpreter',
    value: '/tmp/qemu',
    detail: 'owner uid 1000, mode 0777',
  },
  'preserve-argv0-unsupported': { severity: 'safety', rule: 'preserve-argv0-unsupported', field: 'flags', value: 'P' },
};

describe('describeIssue', () => {
  it('covers every kernel rule', () => {
    expect(Object.keys(KERNEL_ISSUES).sort()).toEqual(Object.keys(KERNEL_RULE_ERRNO).sort());
  });

  it('describes every kernel rule', () => {
    const messages = Object.values(KERNEL_ISSUES).map(describeIssue);

    expect(messages).toMatchInlineSnapshot(`
      [
        "register string of 1921 bytes is too long (at most 1920 bytes); shorten the interpreter path or the magic (the kernel returns EINVAL)",
        "delimiter "P" is invalid; use one printable ASCII character that is not a letter, a digit, a space or a backslash, such as ":" (the kernel returns EINVAL)",
        "register string ends inside the interpreter field; every field needs its delimiter, including the one after the interpreter (the kernel returns EINVAL)",
        "name is empty; give the entry a name such as "qemu-aarch64" (the kernel returns EINVAL)",
        "name ".." is not allowed; choose another name (the kernel returns EINVAL)",
        "name "a/b" contains "/"; choose a name without "/" (the kernel returns EINVAL)",
        "name "a\\u0000b" contains a NUL byte; remove it (the kernel returns EINVAL)",
        "name "status" is reserved by binfmt_misc; choose another name (the kernel returns EEXIST)",
        "name "nnn" is longer than 255 bytes; shorten it (the kernel returns ENAMETOOLONG)",
        "type "m" is invalid; use "M" (magic) or "E" (extension), followed by the delimiter (the kernel returns EINVAL)",
        "offset "0x10" is invalid; use a decimal number from 0 up, or leave it empty for 0 (the kernel returns EINVAL)",
        "magic escape "\\\\xZZ" is invalid; write each byte as \\x followed by two hex digits (the kernel returns EINVAL)",
        "magic is empty; give the bytes to match (the kernel returns EINVAL)",
        "mask has 6 bytes for a 7-byte magic; give exactly one mask byte per magic byte, or no mask (the kernel returns EINVAL)",
        "magic of 257 bytes is longer than the kernel's 256-byte buffer; shorten it (the kernel returns EINVAL)",
        "offset 237 + 20 bytes ends past the kernel's 256-byte buffer; lower the offset or shorten the magic (the kernel returns EINVAL)",
        "extension is empty; give the text after the last "." without the dot (the kernel returns EINVAL)",
        "extension "a/b" contains "/"; remove it (the kernel returns EINVAL)",
        "extension "a\\u0000" contains a NUL byte; remove it (the kernel returns EINVAL)",
        "interpreter is empty; give the absolute path of the emulator (the kernel returns EINVAL)",
        "interpreter "/a\\u0000" contains a NUL byte; remove it (the kernel returns EINVAL)",
        "name "a:b" contains the delimiter; choose another delimiter or remove the character (the kernel returns EINVAL)",
        "flags "p" are invalid; use only the letters P, O, C and F, optionally followed by one newline (the kernel returns EINVAL)",
        "flag F needs Linux 4.8 or later; drop F or upgrade the kernel (the kernel returns EINVAL)",
      ]
    `);
  });

  it('describes a too-short register string', () => {
    const issue = {
      severity: 'kernel',
      rule: 'register-length',
      field: 'register-string',
      value: '7 bytes',
      limit: 1920,
    } as const;

    const message = describeIssue(issue);

    expect(message).toBe(
      'register string of 7 bytes is too short (at least 11 bytes); give every field: :name:type:offset:magic:mask:interpreter:flags (the kernel returns EINVAL)',
    );
  });

  it('describes every safety rule', () => {
    const messages = Object.values(SAFETY_ISSUES).map(describeIssue);

    expect(messages).toMatchInlineSnapshot(`
      [
        "name "a b" contains whitespace or a control character, which breaks shell scripts and config files; choose a name without them",
        "name "a:b" contains ":", which systemd and Debian files cannot express; choose a name without ":"",
        "interpreter "bin/i" is a relative path, which the kernel resolves against each caller's working directory; give an absolute path",
        "interpreter "/bin/i -x" contains whitespace or a control character; the kernel takes it as one path, not a command line: give the path alone",
        "extension "tar.gz" contains ".", so it can never match (the kernel compares the text after the last "."); remove the dot",
        "extension "a b" contains whitespace or a control character; remove it",
        "mask is all zero bytes, so the entry would run every file through its interpreter; give a mask that tests the magic",
        "interpreter "/tmp/qemu" (owner uid 1000, mode 0777) would run setuid programs as their owner (flag C), but it is not owned by root or is writable by group or others; fix its owner and mode, or drop C",
        "flag P needs Linux 5.12 or later, or a Debian "-binfmt-P" interpreter, or the guest gets an extra argument; drop P or use the Debian layout",
      ]
    `);
  });
});

describe('describeElfHeaderError', () => {
  it('describes every error kind', () => {
    const errors: ElfHeaderError[] = [
      { kind: 'not-found', path: '/x/missing' },
      { kind: 'unreadable', path: '/x/secret', code: 'EACCES' },
      { kind: 'is-directory', path: '/usr' },
      { kind: 'not-regular-file', path: '/dev/null', fileType: 'character-device' },
      { kind: 'not-regular-file', path: '/x/fifo', fileType: 'fifo' },
      { kind: 'not-elf', path: '/x/script.sh', prefix: '23212f62696e2f73680a' },
      { kind: 'not-elf', path: null, prefix: '' },
      { kind: 'truncated', path: '/x/short', size: 40, needed: 64 },
      { kind: 'truncated', path: '/x/empty', size: 0, needed: 52 },
      { kind: 'invalid-class', path: null, value: 3 },
      { kind: 'invalid-byte-order', path: '/x/odd', value: 0 },
      { kind: 'invalid-program-headers', path: '/x/odd', reason: 'e_phentsize is 3, expected 56' },
    ];

    const messages = errors.map(describeElfHeaderError);

    expect(messages).toMatchInlineSnapshot(`
      [
        "/x/missing: file not found; check the path",
        "/x/secret: cannot be read (EACCES); check its permissions",
        "/usr: is a directory, not a program; name a file",
        "/dev/null: is a character device, not a regular file; name a program file",
        "/x/fifo: is a fifo, not a regular file; name a program file",
        "/x/script.sh: not an ELF file (it starts with 23212f62); name a compiled program, not a script or archive",
        "the given bytes: not an ELF file (it starts with nothing); name a compiled program, not a script or archive",
        "/x/short: ELF header truncated at 40 bytes (needs 64); the file is damaged or incomplete",
        "/x/empty: is an empty file (0 bytes), not a program; name a compiled program",
        "the given bytes: invalid ELF class 3 (expected 1 for 32-bit or 2 for 64-bit); the file is damaged",
        "/x/odd: invalid ELF byte order 0 (expected 1 or 2); the file is damaged",
        "/x/odd: invalid program headers: e_phentsize is 3, expected 56",
      ]
    `);
  });
});

describe('describeUnknownTarget', () => {
  it('suggests aarch64 for aarch46', () => {
    const error = resolveTarget('aarch46')._unsafeUnwrapErr();

    const message = describeUnknownTarget(error);

    expect(error.suggestions[0]).toBe('aarch64');
    expect(message).toMatchInlineSnapshot(`"unknown target "aarch46": did you mean "aarch64"?"`);
  });

  it('points to the target list without a close name', () => {
    const error = resolveTarget('zzzzzzzzzzzz')._unsafeUnwrapErr();

    const message = describeUnknownTarget(error);

    expect(message).toBe('unknown target "zzzzzzzzzzzz": run "qus targets" to list every accepted name');
  });
});
