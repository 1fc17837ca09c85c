import { err, ok, type Result } from 'neverthrow';

/**
 * Rewrite tonistiigi/binfmt's command line to qus commands: `--install arm64,riscv64`
 * (or `all`) becomes `register arm64 riscv64` (or `register --all`), and
 * `--uninstall 'qemu-*'` becomes `unregister 'qemu-*'`. Only a first argument of
 * `--install` or `--uninstall` is rewritten; the remaining arguments follow unchanged.
 * A missing or empty list returns the usage error message.
 * @internal
 */
export function rewriteBinfmtCompat(argv: readonly string[]): Result<string[], string> {
  const [first, ...rest] = argv;
  if (first === undefined) return ok([]);
  const match = /^--(install|uninstall)(?:=(.*))?$/.exec(first);
  if (match === null) return ok([...argv]);
  const inline = match[2];
  const list = inline ?? (rest[0]?.startsWith('-') === false ? rest[0] : '');
  const after = inline === undefined && list !== '' ? rest.slice(1) : rest;
  const names = list.split(',').filter((name) => name !== '');
  // Without a value, --install would register the host plan and --uninstall would name
  // nothing, so a missing list is a usage error as in tonistiigi/binfmt.
  if (names.length === 0) {
    const example = match[1] === 'install' ? 'arm64,riscv64 or all' : "'qemu-*' or arm64,riscv64";
    return err(`option '--${match[1]}' needs a comma-separated list of targets, such as ${example}`);
  }
  if (match[1] === 'install') {
    const all = names.includes('all');
    return ok(['register', ...(all ? ['--all'] : names.filter((name) => name !== 'all')), ...after]);
  }
  return ok(['unregister', ...names, ...after]);
}
