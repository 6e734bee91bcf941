import { Command, CommanderError, Option } from 'commander';
import { RtkError } from '@rtk/errors';
import { palette, type Environment, type OutputStream } from './colour.js';
import { parseDecimal, type DecimalRule } from './decimal.js';
import { CliKitError, UsageError } from './errors.js';

/** Where a command reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Environment;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * A commander command set up strictly: an unknown option, an argument the command does not take
 * or a bad value is an error (thrown, never `process.exit`), help is `-h`/`--help`. Use it for
 * the program and each subcommand; {@link runCli} runs it.
 *
 * @example
 * ```ts
 * const program = strictCommand('rtk', 'Evaluate retrieval systems').version('0.1.0');
 * program.addCommand(strictCommand('eval', 'Evaluate one retriever').action(run));
 * process.exitCode = await runCli(program, process.argv.slice(2));
 * ```
 */
export function strictCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .allowUnknownOption(false)
    .allowExcessArguments(false)
    .showSuggestionAfterError(true)
    .helpOption('-h, --help', 'Show this help');
}

/**
 * An option taking a plain-decimal number ({@link parseDecimal}): `--limit 0x10`, `1e3` or
 * `' 5'` fail at parse time, naming the flag and the accepted range. `defaultValue` is used as
 * given (not parsed).
 */
export function decimalOption(
  flags: string,
  description: string,
  rule: Omit<DecimalRule, 'flag'>,
  defaultValue?: number,
): Option {
  const option = new Option(flags, description);
  const flag = option.long ?? option.short ?? flags;
  option.argParser((text: string) => parseDecimal(text, { ...rule, flag }));
  if (defaultValue !== undefined) option.default(defaultValue);
  return option;
}

function configureTree(command: Command, io: CliIo): void {
  command.configureOutput({
    writeOut: (text) => void io.stdout.write(text),
    writeErr: (text) => void io.stderr.write(text),
    // Parse errors are printed once, on one line, by runCli.
    outputError: () => undefined,
  });
  for (const sub of command.commands) configureTree(sub, io);
}

/** `rtk eval` when the arguments start with a subcommand's name, else `rtk`. */
function commandPath(program: Command, args: readonly string[]): string {
  const sub = program.commands.find((c) => c.name() === args[0] || c.aliases().includes(args[0]!));
  return sub === undefined ? program.name() : `${program.name()} ${sub.name()}`;
}

/** One line: commander's message without its `error: ` lead, newlines folded. */
function oneLine(message: string): string {
  return message
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

/**
 * Parse `argv` (the user's arguments, without `node` and the script) with `program` and run the
 * chosen action. A leading `--` is dropped (`pnpm bench -- --task 2` passes it through).
 *
 * Returns the exit status and prints the reason for any non-zero one on `io.stderr`:
 * - 0: done, or `--help` / `--version` printed;
 * - 2: the command line is wrong (commander's parse errors, {@link UsageError}): one line,
 *   `<command>: <what> (see <command> --help)`; a missing subcommand prints the help on stderr;
 * - 1: anything else. Errors with a stable `code` (every {@link RtkError}) print
 *   `error <code>: <message>`; others print their stack.
 */
export async function runCli(
  program: Command,
  argv: readonly string[],
  io: CliIo = processIo(),
): Promise<number> {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  configureTree(program, io);
  const colours = palette(io.stderr, io.env);
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    // No subcommand given: commander has already printed the help on stderr.
    if (error instanceof CommanderError && error.code === 'commander.help') return 2;
    const path = commandPath(program, args);
    if (error instanceof CommanderError || error instanceof UsageError) {
      io.stderr.write(`${colours.red(path)}: ${oneLine(error.message)} (see ${path} --help)\n`);
      return 2;
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof RtkError || (error instanceof Error && typeof code === 'string')) {
      io.stderr.write(`\n${colours.red('error')} ${String(code)}: ${error.message}\n`);
      return error instanceof CliKitError ? error.exitStatus : 1;
    }
    io.stderr.write(
      `\n${colours.red('error')}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
