import { describe, expect, it } from 'vitest';
import { colourEnabled, palette } from './colour.js';

describe('colourEnabled', () => {
  const write = (): boolean => true;
  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, {}, false],
    [undefined, {}, false],
  ])('terminal %s, env %o → %s', (isTTY, env, want) => {
    expect(colourEnabled({ write, isTTY }, env)).toBe(want);
    expect(palette({ write, isTTY }, env).red('x')).toBe(want ? '\u001b[31mx\u001b[39m' : 'x');
  });
});
