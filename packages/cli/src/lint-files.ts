import type { CommandContext } from './context.js';

/** Check persistent files; needs `@qus/binfmt-d`. */
export async function lintFiles(
  context: CommandContext,
  _files: readonly string[],
  _format: 'systemd' | 'debian' | 'auto',
): Promise<number> {
  return context.fail({ kind: 'backend-unavailable', packageName: '@qus/binfmt-d', feature: 'checking files' });
}
