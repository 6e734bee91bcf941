import { describe, expect, it } from 'vitest';
import { Option } from 'commander';
import { RtkError } from '@rtk/errors';
import { decimalOption, runCli, strictCommand, type CliIo } from './program.js';
import { UsageError } from './errors.js';

class SampleError extends RtkError {
  readonly code = 'ERR_SAMPLE_BROKEN' as const;
}

interface Captured {
  readonly io: CliIo;
  readonly out: () => string;
  readonly err: () => string;
}

function capture(options: { tty?: boolean; env?: Record<string, string> } = {}): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t), isTTY: options.tty ?? false },
      env: options.env ?? {},
    },
    out: () => out,
    err: () => err,
  };
}

/** `tool` with a subcommand `run` taking --limit, --mode and one action that records its options. */
function tool(action: (opts: Record<string, unknown>) => Promise<void> | void = () => undefined) {
  const program = strictCommand('tool', 'A test tool').version('1.2.3');
  program.addCommand(
    strictCommand('run', 'Run it')
      .addOption(decimalOption('--limit <n>', 'At most n', { integer: true, min: 1 }, 10))
      .addOption(new Option('--mode <m>', 'Mode').choices(['a', 'b']))
      .addOption(new Option('--left <x>', 'Left').conflicts('right'))
      .addOption(new Option('--right <x>', 'Right'))
      .action(async (opts: Record<string, unknown>) => {
        await action(opts);
      }),
  );
  return program;
}

describe('runCli', () => {
  it('runs the action with parsed, typed options and returns 0', async () => {
    let seen: Record<string, unknown> = {};
    const c = capture();
    const code = await runCli(
      tool((o) => void (seen = o)),
      ['run', '--limit', '5', '--mode', 'b'],
      c.io,
    );
    expect(code).toBe(0);
    expect(seen).toEqual({ limit: 5, mode: 'b' });
    expect(c.err()).toBe('');
  });

  it('drops a leading -- (pnpm passes it through)', async () => {
    let seen: Record<string, unknown> = {};
    const code = await runCli(
      tool((o) => void (seen = o)),
      ['--', 'run', '--limit', '7'],
      capture().io,
    );
    expect(code).toBe(0);
    expect(seen.limit).toBe(7);
  });

  it('prints --version and --help on stdout with status 0', async () => {
    const v = capture();
    expect(await runCli(tool(), ['--version'], v.io)).toBe(0);
    expect(v.out()).toBe('1.2.3\n');
    const h = capture();
    expect(await runCli(tool(), ['run', '--help'], h.io)).toBe(0);
    expect(h.out()).toContain('Usage: tool run [options]');
    expect(h.out()).toContain('--limit <n>');
  });

  // Each is a wrong command line: status 2, one line on stderr naming the culprit and the help.
  it.each([
    [['run', '--limt', '5'], ["unknown option '--limt'", '--limit'], 'tool run'],
    [['run', 'extra'], ['too many arguments', "'run'"], 'tool run'],
    [
      ['run', '--limit', '0x10'],
      ['--limit', 'an integer in [1, 9007199254740991]', '"0x10"'],
      'tool run',
    ],
    [['run', '--limit'], ["option '--limit <n>' argument missing"], 'tool run'],
    [['run', '--mode', 'c'], ['--mode', 'a, b'], 'tool run'],
    [
      ['run', '--left', '1', '--right', '2'],
      ['--left', '--right', 'cannot be used with'],
      'tool run',
    ],
    [['walk'], ["unknown command 'walk'"], 'tool'],
    [['--bogus'], ["unknown option '--bogus'"], 'tool'],
  ])('%j → 2 and one line', async (argv, facts, path) => {
    const c = capture();
    expect(await runCli(tool(), argv, c.io)).toBe(2);
    const err = c.err();
    expect(err.endsWith('\n')).toBe(true);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err.startsWith(`${path}: `)).toBe(true);
    expect(err).toContain(`(see ${path} --help)`);
    for (const fact of facts) expect(err).toContain(fact);
    expect(c.out()).toBe('');
  });

  it('no subcommand: the help on stderr, status 2', async () => {
    const c = capture();
    expect(await runCli(tool(), [], c.io)).toBe(2);
    expect(c.err()).toContain('Usage: tool [options] [command]');
    expect(c.err()).not.toContain('outputHelp');
    expect(c.out()).toBe('');
  });

  it('a UsageError from the action is status 2, one line', async () => {
    const c = capture();
    const code = await runCli(
      tool(() => {
        throw new UsageError('--split needs --beir', '--split');
      }),
      ['run'],
      c.io,
    );
    expect(code).toBe(2);
    expect(c.err()).toBe('tool run: --split needs --beir (see tool run --help)\n');
  });

  it('other RtkErrors print code and message with status 1; unknown errors their stack', async () => {
    const known = capture();
    const fail = () => {
      throw new SampleError('sample.json: broken');
    };
    expect(await runCli(tool(fail), ['run'], known.io)).toBe(1);
    expect(known.err()).toBe('\nerror ERR_SAMPLE_BROKEN: sample.json: broken\n');
    const unknown = capture();
    const crash = () => {
      throw new TypeError('x is not a function');
    };
    expect(await runCli(tool(crash), ['run'], unknown.io)).toBe(1);
    expect(unknown.err()).toMatch(/^\nerror: TypeError: x is not a function\n\s+at /);
  });

  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, {}, false],
  ])(
    'colours the error only on a terminal without NO_COLOR (tty %s, env %o)',
    async (tty, env, coloured) => {
      const c = capture({ tty, env });
      expect(await runCli(tool(), ['--bogus'], c.io)).toBe(2);
      expect(c.err().includes('\u001b[31m')).toBe(coloured);
    },
  );
});
