import * as binfmtD from '@qus/binfmt-d';
import type { BinfmtBackend } from '@qus/core';
import { describe, expect, it } from 'vitest';

describe('@qus/binfmt-d', () => {
  it('exports these names', () => {
    expect(Object.keys(binfmtD).sort()).toMatchInlineSnapshot(`
      [
        "GENERATED_HEADER_PREFIX",
        "SYSTEMD_BINFMT_DIRECTORIES",
        "createDebianBackend",
        "createSystemdBackend",
        "describeBinfmtDError",
        "formatDebianImportFile",
        "formatSystemdFile",
        "generatedHeader",
        "isGeneratedFile",
        "parseBinfmtDFile",
        "parseDebianAdminFile",
        "parseDebianImportFile",
        "readSystemdConfig",
      ]
    `);
  });

  it('implements the backend contract', () => {
    const systemd: BinfmtBackend<binfmtD.BinfmtDError> = binfmtD.createSystemdBackend();
    const debian: BinfmtBackend<binfmtD.BinfmtDError> = binfmtD.createDebianBackend();

    expect(systemd.name).toBe('systemd');
    expect(debian.name).toBe('debian');
  });
});
