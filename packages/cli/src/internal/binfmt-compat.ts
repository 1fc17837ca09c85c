/**
 * Rewrite tonistiigi/binfmt's command line to qus commands: `--install arm64,riscv64`
 * (or `all`) becomes `register arm64 riscv64` (or `register --all`), and
 * `--uninstall 'qemu-*'` becomes `unregister 'qemu-*'`. Only a first argument of
 * `--install` or `--uninstall` is rewritten; the remaining arguments follow unchanged.
 * @internal
 */
export function rewriteBinfmtCompat(argv: readonly string[]): string[] {
  const [first, ...rest] = argv;
  if (first === undefined) return [];
  const match = /^--(install|uninstall)(?:=(.*))?$/.exec(first);
  if (match === null) return [...argv];
  const inline = match[2];
  const list = inline ?? rest[0] ?? '';
  const after = inline === undefined ? rest.slice(1) : rest;
  const names = list.split(',').filter((name) => name !== '');
  if (match[1] === 'install') {
    const all = names.includes('all');
    return ['register', ...(all ? ['--all'] : names.filter((name) => name !== 'all')), ...after];
  }
  return ['unregister', ...names, ...after];
}
