#!/usr/bin/env node
// The committed launcher of the built entrypoint. pnpm links package bins when it installs,
// which in a fresh clone is before `tsc -b` has written dist/, so the bin must be a file
// that already exists then.
const entry = new URL('../dist/entrypoint-bin.js', import.meta.url);

try {
  await import(entry.href);
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(entry.pathname)) {
    process.stderr.write(
      `qus-container-entrypoint: error: ${entry.pathname} is missing because it is not built; run "pnpm run build" first\n`,
    );
    process.exitCode = 1;
  } else {
    throw error;
  }
}
