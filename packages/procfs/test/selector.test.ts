import { describe, expect, it } from 'vitest';
import { selectEntries } from '../src/selector.js';

const names = ['python3', 'qemu-aarch64', 'qemu-arm', 'qemu-mips', 'qemu-mipsel', 'WSLInterop'];

describe('selectEntries', () => {
  it('selects an entry by its exact name', () => {
    const selected = selectEntries('python3', names);

    expect(selected).toEqual({ matched: ['python3'], missing: [] });
  });

  it('selects the qemu entry of a target in every naming scheme', () => {
    for (const selector of ['aarch64', 'arm64', 'linux/arm64', 'ARM64']) {
      const selected = selectEntries(selector, names);

      expect(selected.matched).toEqual(['qemu-aarch64']);
    }
  });

  it('selects the arm entry for armhf and armel', () => {
    const selected = selectEntries(['armhf', 'armel'], names);

    expect(selected).toEqual({ matched: ['qemu-arm'], missing: [] });
  });

  it('selects by glob and leaves other entries out', () => {
    const selected = selectEntries('qemu-*', names);

    expect(selected.matched).toEqual(['qemu-aarch64', 'qemu-arm', 'qemu-mips', 'qemu-mipsel']);
  });

  it('expands braces in a glob', () => {
    const selected = selectEntries('qemu-mips{,el}', names);

    expect(selected.matched).toEqual(['qemu-mips', 'qemu-mipsel']);
  });

  it('reports a target without an entry by its entry name', () => {
    const selected = selectEntries(['riscv64', 'qemu-arm'], names);

    expect(selected).toEqual({ matched: ['qemu-arm'], missing: ['qemu-riscv64'] });
  });

  it('reports an unknown name and an empty glob as missing', () => {
    const selected = selectEntries(['nothing-here', 'box64*'], names);

    expect(selected).toEqual({ matched: [], missing: ['nothing-here', 'box64*'] });
  });

  it('prefers an entry named like a target over the target', () => {
    const selected = selectEntries('arm64', ['arm64', 'qemu-aarch64']);

    expect(selected.matched).toEqual(['arm64']);
  });

  it('never selects the control files', () => {
    const selected = selectEntries(['status', 'register', '*'], names);

    expect(selected.matched).toEqual(names);
    expect(selected.missing).toEqual(['status', 'register']);
  });
});
