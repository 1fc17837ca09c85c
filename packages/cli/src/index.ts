export type { CommandContext } from './context.js';
export { type EmulatorLocation, type EmulatorOptions, locateEmulator } from './emulator-layout.js';
export { type CliError, EXIT_FAILURE, EXIT_USAGE } from './errors.js';
export {
  type HostReport,
  type ProbeHostOptions,
  type ProbeOutcome,
  type ProbeResult,
  probeHost,
} from './host-facts.js';
export { type CliIo, type Colors, colorsFor, createProcessIo } from './io.js';
export { main } from './main.js';
export { describeCliError } from './messages.js';
export { ARM_EXIT_ZERO, buildElf32, I386_EXIT_ZERO, type TinyElfSpec } from './tiny-elf.js';
