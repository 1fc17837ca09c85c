import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Output and end state of a finished child process. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Feed `input` to a child spawned with three pipes and collect its output until it closes.
 * Rejects only when the child cannot be started or its stdin fails for another reason than EPIPE.
 */
export function collectChild(child: ChildProcessWithoutNullStreams, input = ''): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    // A child that exits without reading its input closes the pipe first. That EPIPE is
    // no test failure, because the exit code and output still show what happened.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(input);
  });
}
