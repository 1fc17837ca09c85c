export {
  createDebianBackend,
  type DebianBackend,
  type DebianBackendOptions,
  type DebianState,
} from './debian-backend.js';
export {
  type DebianEntry,
  type FormatDebianImportFileOptions,
  formatDebianImportFile,
  parseDebianAdminFile,
  parseDebianImportFile,
} from './debian-file.js';
export type { BinfmtDError, DebianFileProblem, FileOperation } from './errors.js';
export type { FileBackend, FileBackendOptions } from './file-backend.js';
export type { FileAction, FileApplyReport, FileChange, FilePlan } from './file-plan.js';
export { GENERATED_HEADER_PREFIX, generatedHeader, isGeneratedFile } from './header.js';
export { describeBinfmtDError } from './messages.js';
export {
  createSystemdBackend,
  type SystemdBackend,
  type SystemdBackendOptions,
  type SystemdState,
} from './systemd-backend.js';
export {
  type ReadSystemdConfigOptions,
  readSystemdConfig,
  SYSTEMD_BINFMT_DIRECTORIES,
  type SystemdConfig,
  type SystemdConfigFile,
} from './systemd-config.js';
export {
  type BinfmtDRule,
  type FormatSystemdFileOptions,
  formatSystemdFile,
  type ParsedBinfmtDFile,
  parseBinfmtDFile,
} from './systemd-file.js';
