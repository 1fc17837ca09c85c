export { createProcfsBackend, type ProcfsBackend, type ProcfsOptions } from './backend.js';
export type {
  ConfirmationRequiredError,
  EntryExistsError,
  InterpreterNotExecutableError,
  InterpreterNotFoundError,
  InvalidEntryError,
  InvalidKernelReleaseError,
  InvalidRecordProcfsError,
  KernelFeatureError,
  MountFailedError,
  NameTooLongError,
  NoBinfmtSupportError,
  NoDeviceError,
  NotMountedError,
  OperationNotPermittedError,
  PermissionError,
  ProcfsError,
  ShortWriteError,
  SystemError,
} from './errors.js';
export { BINFMTFS_MAGIC, DEFAULT_ROOT, detectInstance, type InstanceStatus } from './instance.js';
export { describeNativeWarning, describeOverlapWarning, describeProcfsError } from './messages.js';
export type { ToggleReport } from './mutate.js';
export { type EntrySelector, type SelectedEntries, selectEntries } from './selector.js';
