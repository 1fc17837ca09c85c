import { open } from 'node:fs/promises';
import { normalizeHostMachine, targets } from '@qus/core';

/**
 * Headers of programs native to the host: a minimal ELF header built from the catalogue
 * entry of `hostMachine` (its magic bytes, which its own mask accepts) and, when
 * `ownExecutable` is given, the first 256 bytes of that file (Node's own binary).
 * @internal
 */
export async function hostHeaders(hostMachine: string, ownExecutable?: string): Promise<Uint8Array[]> {
  const headers: Uint8Array[] = [];
  const cpu = normalizeHostMachine(hostMachine);
  const target = targets.find((candidate) => candidate.name === cpu);
  if (target !== undefined) headers.push(Uint8Array.from(target.magic));

  if (ownExecutable !== undefined) {
    try {
      const handle = await open(ownExecutable, 'r');
      try {
        const buffer = new Uint8Array(256);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        headers.push(buffer.subarray(0, bytesRead));
      } finally {
        await handle.close();
      }
    } catch {
      // The catalogue header above still covers the host; an unreadable binary adds nothing.
    }
  }
  return headers;
}
