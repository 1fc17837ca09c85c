import { expect, it } from 'vitest';
import { busyboxPath, DEBIAN_ARCHITECTURES, EXPECTED_UNAME, qemuStaticDir } from '../support/fixtures.js';
import { describeKernel, runInNamespace } from '../support/namespace.js';
import { ENTRYPOINT_BIN, HOSTILE_ARGUMENTS, HOSTILE_OUTPUT } from './support.js';

/**
 * Shell words that run the entrypoint bin on a fresh, unmounted folder "$root", with the
 * Containerfile's `--suffix -static` spelling (an option value that starts with "-").
 */
const ENTRYPOINT = `root=$(mktemp -d); node '${ENTRYPOINT_BIN}' --emulators '${qemuStaticDir()}' --suffix -static --root "$root"`;

describeKernel('entrypoint bin in a private instance', () => {
  it('registers the emulators and the busybox binaries run', async () => {
    const runAll = DEBIAN_ARCHITECTURES.map((architecture) => `'${busyboxPath(architecture)}' uname -m`).join('\n');
    const script = `${ENTRYPOINT} > "$root.log"; echo "status $?"
grep -c ': registered ' "$root.log"
grep -e qemu-aarch64: -e qemu-i386: -e qemu-x86_64: -e '^qus:' "$root.log"
cat "$root/qemu-aarch64"
${runAll}
node '${ENTRYPOINT_BIN}' --emulators '${qemuStaticDir()}' --root "$root" | tail -n 1`;

    const result = await runInNamespace(script);

    const uname = DEBIAN_ARCHITECTURES.map((architecture) =>
      architecture === 'i386' ? 'x86_64' : EXPECTED_UNAME[architecture].uname,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        'status 0',
        '31',
        `qemu-aarch64: registered ${qemuStaticDir()}/qemu-aarch64-static (flags PF)`,
        "qemu-i386: skipped: runs natively in the host's family; pass --ignore-family to register it",
        "qemu-x86_64: skipped: the host's own CPU",
        'qus: 31 registered, 0 unchanged, 0 failed, 3 skipped',
        'enabled',
        `interpreter ${qemuStaticDir()}/qemu-aarch64-static`,
        'flags: PF',
        'offset 0',
        'magic 7f454c460201010000000000000000000200b700',
        'mask ffffffffffffff00fffffffffffffffffeffffff',
        ...uname,
        'qus: 0 registered, 31 unchanged, 0 failed, 3 skipped',
        '',
      ].join('\n'),
    );
  });

  it('registers i386 with --ignore-family', async () => {
    const script = `${ENTRYPOINT} --ignore-family --targets i386 | tail -n 1; '${busyboxPath('i386')}' uname -m`;

    const result = await runInNamespace(script);

    expect(result.stdout).toBe('qus: 1 registered, 0 unchanged, 0 failed, 0 skipped\ni686\n');
  });

  it('exits 2 for an unknown target name', async () => {
    const script = `root=$(mktemp -d); node '${ENTRYPOINT_BIN}' --emulators /nonexistent --root "$root" --targets arm64,aarch46; echo "status $?"`;

    const result = await runInNamespace(script);

    expect(result.stderr).toBe('qus-container-entrypoint: unknown target "aarch46": did you mean "aarch64"?\n');
    expect(result.stdout).toBe('status 2\n');
  });

  it('fails for a named target without an emulator', async () => {
    const script = `root=$(mktemp -d); node '${ENTRYPOINT_BIN}' --emulators /nonexistent --root "$root" --targets arm64,s390x; echo "status $?"`;

    const result = await runInNamespace(script);

    expect(result.stdout).toBe(
      [
        'qemu-aarch64: failed: no emulator at /nonexistent/qemu-aarch64-static',
        'qemu-s390x: failed: no emulator at /nonexistent/qemu-s390x-static',
        'qus: 0 registered, 0 unchanged, 2 failed, 0 skipped',
        'status 1',
        '',
      ].join('\n'),
    );
  });

  it('fails when the image has no emulators', async () => {
    const script = `root=$(mktemp -d); node '${ENTRYPOINT_BIN}' --emulators /nonexistent --root "$root"; echo "status $?"`;

    const result = await runInNamespace(script);

    expect(result.stderr).toBe(
      'qus-container-entrypoint: no emulator named qemu-<cpu>-static found in /nonexistent; install qemu-user-static or pass the folder that holds the emulators\n',
    );
    expect(result.stdout).toBe('status 1\n');
  });

  it('runs a command after registering', async () => {
    const arm64 = busyboxPath('arm64');
    const quoted = HOSTILE_ARGUMENTS.map((argument) => `'${argument.replaceAll("'", "'\\''")}'`).join(' ');
    const script = `${ENTRYPOINT} 2> /dev/null -- '${arm64}' sh -c 'exit 7'; echo "exit $?"
${ENTRYPOINT} 2> /dev/null -- '${arm64}' sh -c 'kill -TERM $$'; echo "signal $?"
printf 'one\\ntwo\\n' | { ${ENTRYPOINT} 2> /dev/null -- '${arm64}' cat; }
${ENTRYPOINT} 2> /dev/null -- '${arm64}' printf '%s|' ${quoted}; echo
${ENTRYPOINT} 2> /dev/null -- '${arm64}' sleep 30 & pid=$!
started() { for c in $(cat /proc/$pid/task/*/children 2>/dev/null); do [ "$(tr '\\0' '\\n' < /proc/$c/cmdline | head -n 1)" = '${qemuStaticDir()}/qemu-aarch64-static' ] && return 0; done; return 1; }
until started; do sleep 0.05; done
kill -TERM $pid; wait $pid; echo "forwarded $?"
ls -A "$cwd"`;

    const result = await runInNamespace(`cwd=$(mktemp -d); cd "$cwd"\n${script}`);

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`exit 7\nsignal 143\none\ntwo\n${HOSTILE_OUTPUT}\nforwarded 143\n`);
  });
});
