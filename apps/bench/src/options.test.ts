import { describe, expect, it } from 'vitest';
import { UsageError } from '@rtk/cli-kit';
import { parseTasks } from './options.js';

describe('parseTasks', () => {
  it.each([
    ['1,2', [1, 2]],
    ['3, 1,1', [1, 3]],
    ['2', [2]],
    ['5,4', [4, 5]],
  ])('%s → %j', (text, want) => {
    expect(parseTasks(text)).toEqual(want);
  });

  it.each([
    ['', '--task: no task given; choose from 1, 2, 3, 4, 5'],
    [',', '--task: no task given; choose from 1, 2, 3, 4, 5'],
    ['6', "--task: '6' is not a task; choose from 1, 2, 3, 4, 5 (e.g. --task 1,2)"],
    ['1,x', "--task: 'x' is not a task; choose from 1, 2, 3, 4, 5"],
    ['0x2', "--task: '0x2' is not a task; choose from 1, 2, 3, 4, 5"],
    ['2.0', "--task: '2.0' is not a task; choose from 1, 2, 3, 4, 5"],
  ])('rejects %j with a usage error naming --task and the part at fault', (text, message) => {
    let thrown: unknown;
    try {
      parseTasks(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toMatchObject({ code: 'ERR_CLI_KIT_USAGE', flag: '--task', exitStatus: 2 });
    expect((thrown as Error).message).toContain('choose from 1, 2, 3, 4, 5');
    expect((thrown as Error).message).toContain(message);
  });
});
