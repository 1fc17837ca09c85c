#!/usr/bin/env node
// Run the suite in suite/ with QEMU emulation for every program it starts, without root.
// runRootless starts vitest in a new user and mount namespace with a private binfmt_misc
// instance (Linux 6.7+), where the named targets are registered with flags P and F. The
// entries exist only while the suite runs, and the host's binfmt_misc is never touched.
//
// Usage: node run-suite.mjs [--qemu-path DIR] [VITEST ARGUMENTS...]
// The same from a shell: qus run --target arm64,s390x -- vitest run --config vitest.config.mjs
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeContainerExecError, runRootless } from '@qus/container-exec';

const exampleDir = dirname(fileURLToPath(import.meta.url));
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

const args = process.argv.slice(2);
let qemuPath = '/usr/bin';
if (args[0] === '--qemu-path' && args[1] !== undefined) {
  qemuPath = args[1];
  args.splice(0, 2);
}

const outcome = await runRootless(
  [process.execPath, vitest, 'run', '--root', exampleDir, '--config', join(exampleDir, 'vitest.config.mjs'), ...args],
  {
    // The command is node, a native program, so the targets the suite needs are named here.
    targets: ['arm64', 's390x'],
    layout: { kind: 'directory', directory: qemuPath, suffix: '-static' },
    // Without a private instance, vitest would run unemulated and every foreign test fail.
    fallback: false,
  },
);
if (outcome.isErr()) {
  process.stderr.write(`run-suite: ${describeContainerExecError(outcome.error)}\n`);
  process.exitCode = 1;
} else {
  process.stderr.write(`run-suite: ${outcome.value.registered.join(', ')} registered for the suite\n`);
  process.exitCode = outcome.value.exitCode;
}
