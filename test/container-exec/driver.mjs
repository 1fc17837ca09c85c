// Runs one @qus/container-exec call in its own process, so tests can pipe its standard
// streams, send it signals and run it as another user. Usage:
//   node driver.mjs shim|rootless OPTIONS_JSON PROGRAM [ARG...]
// Exits with the program's exit status; a failure before the program starts prints the
// message after "error: " and exits 125.
import { describeContainerExecError, runRootless, runShim } from '@qus/container-exec';

const [mode, optionsJson, ...command] = process.argv.slice(2);
const options = JSON.parse(optionsJson ?? '{}');
const result =
  mode === 'shim'
    ? await runShim(command[0] ?? '', command.slice(1), options)
    : await runRootless(command, { ...options, onNotice: (message) => process.stderr.write(`notice: ${message}\n`) });
if (result.isErr()) {
  process.stderr.write(`error: ${describeContainerExecError(result.error)}\n`);
  process.exit(125);
}
if (mode === 'rootless') process.stderr.write(`mode: ${result.value.mode}\n`);
process.exit(result.value.exitCode);
