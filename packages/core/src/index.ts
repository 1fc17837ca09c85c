export type {
  ApplyOptions,
  ApplyReport,
  BackendState,
  BackendWarning,
  BinfmtBackend,
  OnError,
  RecordOutcome,
  RemoveReport,
} from './backend.js';
export {
  QEMU_TABLE_VERSION,
  type Target,
  type TargetFamily,
  type TargetName,
  targetByName,
  targets,
} from './catalogue.js';
export { type DeriveError, deriveMagicMask, type MagicMask } from './derive.js';
export {
  type ElfHeader,
  type ElfHeaderError,
  type ElfLinkage,
  HEADER_READ_SIZE,
  parseElfHeader,
  type ReadElfHeaderOptions,
  readElfHeader,
  type SpecialFileType,
} from './elf-header.js';
export { formatEntryStatus, type InvalidEntryStatusError, parseEntryStatus } from './entry-status.js';
export {
  type KernelFeatures,
  type KernelVersion,
  type KernelVersionError,
  kernelAtLeast,
  kernelFeatures,
  parseKernelVersion,
} from './kernel.js';
export {
  findOverlaps,
  type MatchInput,
  type MatchOptions,
  type MatchRejection,
  type MatchResult,
  matchFile,
  type Overlap,
  recordMismatch,
} from './match.js';
export {
  describeDeriveError,
  describeElfHeaderError,
  describeEntryStatusError,
  describeIssue,
  describeKernelVersionError,
  describePlanError,
  describeRegisterStringError,
  describeUnknownTarget,
  describeValidationError,
} from './messages.js';
export {
  type HostFacts,
  type HostPlan,
  normalizeHostMachine,
  type PlanError,
  type PlanOptions,
  planHostTargets,
  type SkipReason,
  type UnknownHostError,
} from './plan.js';
export {
  type BinfmtFlags,
  type BinfmtRecord,
  createExtensionRecord,
  createFlags,
  createMagicRecord,
  type ExtensionRecord,
  type ExtensionRecordInit,
  type FlagLetter,
  flagsEqual,
  formatFlagsAsKernel,
  formatFlagsAsQemu,
  type InstalledEntry,
  type MagicRecord,
  type MagicRecordInit,
  NO_FLAGS,
  normalizeFlags,
  recordsEqual,
} from './record.js';
export {
  DEBIAN_BINFMT_P_DIRECTORY,
  DEFAULT_LAYOUT,
  type InterpreterLayout,
  interpreterPath,
  type RegisterOptions,
  recordForTarget,
  register,
} from './register.js';
export {
  type FormatRegisterStringOptions,
  formatRegisterString,
  type InvalidRegisterStringError,
  type ParsedRegisterString,
  type ParseRegisterStringOptions,
  parseRegisterString,
} from './register-string.js';
export {
  resolveTarget,
  suggestTargetNames,
  type TargetAlias,
  type TargetNameKind,
  targetAliases,
  type UnknownTargetError,
} from './resolve-target.js';
export {
  findRecordIssues,
  type InterpreterFileInfo,
  type InvalidRecordError,
  KERNEL_RULE_ERRNO,
  type KernelRule,
  MAX_NAME_LENGTH,
  MAX_REGISTER_LENGTH,
  type RecordField,
  type SafetyRule,
  type ValidationIssue,
  type ValidationOptions,
  validateRecord,
} from './validate.js';
