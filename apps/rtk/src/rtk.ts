import { packageVersion, processIo, runCli, strictCommand, type CliIo } from '@rtk/cli-kit';
import type { Command } from 'commander';
import { evalCommand } from './eval-command.js';
import { mineCommand } from './mine-command.js';
import { exportCommand } from './export-command.js';
import { trainCommand } from './train-command.js';

/** The `rtk` program for this command line: its subcommands, strict flags, `--version`, `--help`. */
export function rtkProgram(argv: readonly string[]): Command {
  return strictCommand('rtk', 'Evaluate and tune text retrieval systems in Node.js.')
    .version(packageVersion(import.meta.url), '-V, --version', 'Print the version')
    .addCommand(evalCommand(argv[0] === '--' ? argv.slice(1) : argv))
    .addCommand(mineCommand())
    .addCommand(exportCommand())
    .addCommand(trainCommand())
    .addHelpCommand(false);
}

/**
 * Run `rtk` with these arguments (without `node` and the script). Returns the exit status: 0;
 * 2 for a wrong command line (one line on stderr, nothing run); 1 for any other failure
 * (`error <code>: <message>`).
 */
export function runRtk(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runCli(rtkProgram(argv), argv, io);
}
