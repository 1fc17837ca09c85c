import * as containerExec from '@qus/container-exec';
import { expect, it } from 'vitest';

it('exports the public API', () => {
  const names = Object.keys(containerExec).sort();

  expect(names).toEqual([
    'describeContainerExecError',
    'resolveShimCommand',
    'runEntrypoint',
    'runRootless',
    'runShim',
    'writeWrappers',
  ]);
});
