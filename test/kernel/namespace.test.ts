import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeKernel, runInNamespace } from '../support/namespace.js';

describeKernel(
  'runInNamespace',
  () => {
    it('mounts a fresh instance on a folder', async () => {
      const result = await runInNamespace('ls "$BINFMT_DIR"; cat "$BINFMT_DIR/status"');

      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('register\nstatus\nenabled\n');
    });

    it('mounts a fresh instance over /proc', async () => {
      const result = await runInNamespace('echo "$BINFMT_DIR"; ls /proc/sys/fs/binfmt_misc', { mount: 'proc' });

      expect(result.stdout).toBe('/proc/sys/fs/binfmt_misc\nregister\nstatus\n');
    });

    it('keeps entries out of the machine instance', async () => {
      const before = readdirSync('/proc/sys/fs/binfmt_misc').sort();

      const result = await runInNamespace(
        `printf ':qus-probe:E::qusprobe::/bin/true:' > "$BINFMT_DIR/register" && ls "$BINFMT_DIR"`,
        { mount: 'proc' },
      );

      expect(result.stdout).toContain('qus-probe');
      expect(readdirSync('/proc/sys/fs/binfmt_misc').sort()).toEqual(before);
    });

    it('shadows the machine instance in temp mode', async () => {
      const result = await runInNamespace(
        `printf ':qus-probe:E::qusprobe::/bin/true:' > "$BINFMT_DIR/register" && ls /proc/sys/fs/binfmt_misc`,
      );

      expect(result.stdout).toBe('qus-probe\nregister\nstatus\n');
    });
  },
  { fixtures: false },
);
