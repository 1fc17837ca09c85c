import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { binPath, ensureBuilt } from './support.js';

describe('qus output into a closed pipe', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it('stops quietly when the reader closes early', async () => {
    const child = spawn('node', [binPath, 'targets'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Close the reading end before qus has started, so its first write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });

    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
