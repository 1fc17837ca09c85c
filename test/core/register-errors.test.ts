import { expect, it } from 'vitest';
import { describeKernel, runInNamespace } from '../support/namespace.js';
import { registerInKernel } from './kernel-register.js';

describeKernel(
  'register errors that need the file system',
  () => {
    it('fails F with a missing interpreter with ENOENT', async () => {
      const strings = [':qus:M::ABC::/nonexistent/qus:F', ':status:M::ABC::/nonexistent/qus:F'].map((text) =>
        Buffer.from(text),
      );

      const outcomes = await registerInKernel(strings);

      // Since Linux 5.12 the F interpreter is opened before the name is checked.
      expect(outcomes.map((outcome) => outcome.result)).toEqual(['ENOENT', 'ENOENT']);
    });

    it('fails F with a directory as interpreter with EACCES', async () => {
      const outcomes = await registerInKernel([Buffer.from(':qus:M::ABC::/tmp:F')]);

      expect(outcomes.map((outcome) => outcome.result)).toEqual(['EACCES']);
    });

    it('fails a second entry of one name with EEXIST', async () => {
      const write = (text: string): string =>
        `node -e 'try { require("fs").writeFileSync(process.env.BINFMT_DIR + "/register", "${text}"); console.log("OK") } catch (e) { console.log(e.code) }'`;
      const script = [write(':qus:E::q::/x:'), write(':qus:E::r::/x:'), 'cat "$BINFMT_DIR/qus"'].join('\n');

      const result = await runInNamespace(script);

      expect(result.stdout).toBe('OK\nEEXIST\nenabled\ninterpreter /x\nflags: \nextension .q\n');
    });
  },
  { fixtures: false },
);
