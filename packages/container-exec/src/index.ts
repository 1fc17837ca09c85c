export {
  type EntrypointOptions,
  type EntrypointReport,
  type EntrypointTargetResult,
  runEntrypoint,
} from './entrypoint.js';
export type { ContainerExecError } from './errors.js';
export type { DirectoryLayout } from './internal/host.js';
export type { RunOutcome, StdioSetting } from './internal/run-child.js';
export { describeContainerExecError } from './messages.js';
export { type RootlessOptions, type RootlessOutcome, runRootless } from './rootless.js';
export { resolveShimCommand, runShim, type ShimCommand, type ShimOptions } from './shim.js';
export { type WrapperOptions, type WrittenWrapper, writeWrappers } from './wrappers.js';
