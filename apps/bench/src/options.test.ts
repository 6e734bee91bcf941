import { describe, expect, it } from 'vitest';
import { UsageError } from '@rtk/cli-kit';
import { parseTasks } from './options.js';

describe('parseTasks', () => {
  it.each([
    ['1,2', [1, 2]],
    ['3, 1,1', [1, 3]],
    ['2', [2]],
  ])('%s → %j', (text, want) => {
    expect(parseTasks(text)).toEqual(want);
  });

  it.each(['', '4', '1,x', ',', '0x2', '2.0'])(
    'rejects %j with a usage error naming --task',
    (text) => {
      let thrown: unknown;
      try {
        parseTasks(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UsageError);
      expect(thrown).toMatchObject({ code: 'ERR_CLI_KIT_USAGE', flag: '--task', exitStatus: 2 });
      expect((thrown as Error).message).toContain('choose from 1, 2, 3');
    },
  );
});
