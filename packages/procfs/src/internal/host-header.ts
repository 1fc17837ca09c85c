import { open } from 'node:fs/promises';
import { normalizeHostMachine, targets } from '@qus/core';

/**
 * Collect headers of programs native to the host. The first is a minimal ELF header: the
 * magic bytes of the catalogue entry for `hostMachine`, which its own mask accepts. When
 * `ownExecutable` is given (Node's own binary), its first 256 bytes follow.
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
