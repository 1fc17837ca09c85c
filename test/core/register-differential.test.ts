import {
  KERNEL_RULE_ERRNO,
  MAX_REGISTER_LENGTH,
  type ParsedRegisterString,
  parseEntryStatus,
  parseRegisterString,
  recordsEqual,
  validateRecord,
} from '@qus/core';
import { beforeAll, expect, it } from 'vitest';
import { renderRegisterString } from '../../packages/core/src/internal/render.js';
import { describeKernel } from '../support/namespace.js';
import { type KernelOutcome, registerInKernel } from './kernel-register.js';
import { generateRegisterCases, type RegisterCase } from './register-strings.js';

/** Return whether the flags field (after the last delimiter) requests F. */
function asksForFixBinary(bytes: Buffer): boolean {
  const delimiter = bytes[0] as number;
  return bytes.subarray(bytes.lastIndexOf(delimiter) + 1).includes(0x46);
}

/**
 * Predict the errno of a string from this library's parse. Every interpreter in the cases is
 * missing, so an F entry that parses fails when the kernel opens it: ENOENT, which
 * since Linux 5.12 comes before the EEXIST and ENAMETOOLONG name checks.
 */
function predictedResult(parsed: ReturnType<typeof parseRegisterString>, bytes: Buffer): string {
  if (parsed.isOk()) return parsed.value.record.flags.fixBinary ? 'ENOENT' : 'OK';
  const { rule } = parsed.error.issue;
  if (parsed.error.issue.severity !== 'kernel') return `safety rule ${rule}`;
  const nameRule = rule === 'name-reserved' || rule === 'name-too-long';
  if (nameRule && asksForFixBinary(bytes)) return 'ENOENT';
  return KERNEL_RULE_ERRNO[parsed.error.issue.rule as keyof typeof KERNEL_RULE_ERRNO];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Return whether a name the kernel stored survives the decoding to a JavaScript string. Records
 * hold names as strings, so bytes that are not valid UTF-8 become U+FFFD.
 */
function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function show(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('latin1'));
}

/**
 * Return whether a register-length issue is true of this library's own spelling: `\\xHH`
 * escapes and the newline the backends append can make an accepted string too long.
 */
function isOwnSpellingTooLong(rule: string, parsed: ParsedRegisterString): boolean {
  if (rule !== 'register-length') return false;
  const own = renderRegisterString(parsed.record, parsed.delimiter);
  return Buffer.byteLength(own) + 1 > MAX_REGISTER_LENGTH;
}

describeKernel(
  'register strings judged by the kernel',
  () => {
    let cases: RegisterCase[] = [];
    let outcomes: KernelOutcome[] = [];

    beforeAll(async () => {
      cases = generateRegisterCases(2000);
      outcomes = await registerInKernel(cases.map((entry) => entry.bytes));
    });

    it('covers enough strings of both outcomes', () => {
      const accepted = outcomes.filter((outcome) => outcome.result === 'OK').length;

      expect(cases.length).toBeGreaterThanOrEqual(1000);
      expect(accepted).toBeGreaterThan(100);
      expect(cases.length - accepted).toBeGreaterThan(100);
    });

    it('predicts the errno of every string', () => {
      const disagreements = cases.flatMap((entry, index) => {
        const kernel = (outcomes[index] as KernelOutcome).result;
        const parsed = parseRegisterString(entry.bytes);
        const ours = predictedResult(parsed, entry.bytes);
        if (ours === kernel) return [];
        const rule = parsed.isErr() ? parsed.error.issue.rule : 'accepted';
        return [`${entry.label}: ${show(entry.bytes)} kernel ${kernel}, ours ${ours} (${rule})`];
      });

      expect(disagreements).toEqual([]);
    });

    it('reads back what the kernel stored', () => {
      const disagreements = cases.flatMap((entry, index) => {
        const outcome = outcomes[index] as KernelOutcome;
        if (outcome.result !== 'OK') return [];
        const parsed = parseRegisterString(entry.bytes)._unsafeUnwrap();
        const [stored, ...others] = outcome.entries;
        if (stored === undefined || others.length > 0) return [`${entry.label}: ${outcome.entries.length} entries`];
        if (!isUtf8(stored.name)) return [];
        const problems: string[] = [];
        if (!stored.name.equals(Buffer.from(parsed.record.name, 'utf8'))) {
          problems.push(`name ${show(stored.name)} differs`);
        }
        const entryStatus = parseEntryStatus(parsed.record.name, stored.status);
        if (entryStatus.isErr()) problems.push(`status ${JSON.stringify(stored.status)} is unreadable`);
        else if (!recordsEqual(entryStatus.value.record, parsed.record)) {
          problems.push(`status ${JSON.stringify(stored.status)} differs from the parsed record`);
        }
        return problems.map((problem) => `${entry.label}: ${show(entry.bytes)} ${problem}`);
      });

      expect(disagreements).toEqual([]);
    });

    it('skips read-back only for names that are not UTF-8', () => {
      const skipped = cases.filter((_entry, index) => {
        const stored = (outcomes[index] as KernelOutcome).entries[0];
        return stored !== undefined && !isUtf8(stored.name);
      });

      expect(skipped.length).toBeGreaterThan(0);
      expect(skipped.filter((entry) => !/name (byte 0xff|255 bytes of 0xff)/.test(entry.label))).toEqual([]);
    });

    it('rejects accepted strings only by safety rules', () => {
      const disagreements = cases.flatMap((entry, index) => {
        const outcome = outcomes[index] as KernelOutcome;
        if (outcome.result !== 'OK' || !isUtf8((outcome.entries[0] as { name: Buffer }).name)) return [];
        const parsed: ParsedRegisterString = parseRegisterString(entry.bytes)._unsafeUnwrap();
        const validated = validateRecord(parsed.record, { strict: true, delimiter: parsed.delimiter });
        if (validated.isOk()) return [];
        const kernelIssues = validated.error.issues.filter(
          (issue) => issue.severity !== 'safety' && !isOwnSpellingTooLong(issue.rule, parsed),
        );
        return kernelIssues.map((issue) => `${entry.label}: ${show(entry.bytes)} ${issue.rule} on ${issue.field}`);
      });

      expect(disagreements).toEqual([]);
    });

    it('measures the spelling this library writes', () => {
      const tooLong = cases.filter((entry, index) => {
        if ((outcomes[index] as KernelOutcome).result !== 'OK') return false;
        const parsed = parseRegisterString(entry.bytes)._unsafeUnwrap();
        return isOwnSpellingTooLong('register-length', parsed);
      });

      // The kernel took the 1920-byte string without a newline; the backends add one.
      expect(tooLong.map((entry) => entry.label)).toEqual(['length 1920']);
    });
  },
  { fixtures: false },
);
