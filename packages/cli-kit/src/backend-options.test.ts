import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { TFJS_BACKENDS } from '@rtk/tfjs';
import { BACKEND_CHOICES, addBackendOptions, backendOptions, type BackendFlags } from './index.js';

function parse(argv: string[]): BackendFlags {
  const command = addBackendOptions(
    new Command('x').exitOverride().configureOutput({ writeErr: () => undefined }),
  );
  command.parse(argv, { from: 'user' });
  return command.opts<BackendFlags>();
}

describe('--backend and --gpu', () => {
  it('name @rtk/tfjs’ backends', () => {
    expect(BACKEND_CHOICES).toEqual(TFJS_BACKENDS);
  });

  it.each([
    [[], {}],
    [['--gpu'], { gpu: true }],
    [['--backend', 'wasm'], { prefer: ['wasm'] }],
    [['--backend', 'tensorflow', '--gpu'], { gpu: true, prefer: ['tensorflow'] }],
  ])('%j → selectBackend(%j)', (argv, expected) => {
    expect(backendOptions(parse(argv))).toEqual(expected);
  });

  it('refuses an unknown backend and --gpu with a backend that is not tensorflow', () => {
    expect(() => parse(['--backend', 'webgl'])).toThrow(
      /Allowed choices are tensorflow, wasm, cpu/,
    );
    expect(() => backendOptions(parse(['--backend', 'cpu', '--gpu']))).toThrow(
      expect.objectContaining({
        code: 'ERR_CLI_KIT_USAGE',
        message: expect.stringContaining('--gpu runs on the tensorflow backend') as unknown,
      }),
    );
  });
});
