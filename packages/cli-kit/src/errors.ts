import { RtkError } from '@rtk/errors';

/** Stable codes of the errors this package throws. */
export type CliKitErrorCode =
  | 'ERR_CLI_KIT_USAGE'
  | 'ERR_CLI_KIT_OUTPUT_NOT_WRITABLE'
  | 'ERR_CLI_KIT_OUTPUT_LOCKED'
  | 'ERR_CLI_KIT_MODEL_UNAVAILABLE';

/**
 * Base class of every error `@rtk/cli-kit` throws. `exitStatus` is what a command exits with
 * when {@link runCli} catches it: 2 for a wrong command line, 1 for everything else.
 */
export abstract class CliKitError extends RtkError {
  abstract override readonly code: CliKitErrorCode;
  abstract readonly exitStatus: 1 | 2;
}

/**
 * The command line itself is wrong: an unknown flag, a stray argument, a value out of range,
 * two flags that exclude each other, a flag another one requires. Exit status 2, as for
 * commander's own parse errors.
 */
export class UsageError extends CliKitError {
  readonly code = 'ERR_CLI_KIT_USAGE' as const;
  readonly exitStatus = 2 as const;
  /** The flag at fault (`--limit`), when one is. */
  readonly flag: string | undefined;
  constructor(message: string, flag?: string, options?: ErrorOptions) {
    super(message, options);
    this.flag = flag;
  }
}

/**
 * An output a flag names (`--out DIR`, the folder of `--run FILE`) cannot be written: checked
 * before any work starts, with a time limit, so a bad path fails at once and never hangs.
 */
export class OutputNotWritableError extends CliKitError {
  readonly code = 'ERR_CLI_KIT_OUTPUT_NOT_WRITABLE' as const;
  readonly exitStatus = 1 as const;
  readonly flag: string;
  readonly path: string;
  readonly reason: string;
  constructor(flag: string, path: string, reason: string, options?: ErrorOptions) {
    super(
      `${flag}: cannot write to ${path} (${reason}). Choose a folder you can write, or create it first.`,
      options,
    );
    this.flag = flag;
    this.path = path;
    this.reason = reason;
  }
}

/**
 * An output file is being written by another run (its lock file names a live process, or a
 * process on another host): refused before any work starts, so two runs never overwrite each
 * other's results.
 */
export class OutputLockedError extends CliKitError {
  readonly code = 'ERR_CLI_KIT_OUTPUT_LOCKED' as const;
  readonly exitStatus = 1 as const;
  readonly flag: string;
  /** The output file. */
  readonly path: string;
  /** The lock file that holds it. */
  readonly lockFile: string;
  /** The holder's process id, when the lock file names one. */
  readonly pid: number | undefined;
  constructor(
    flag: string,
    path: string,
    lockFile: string,
    holder: string,
    pid: number | undefined,
    options?: ErrorOptions,
  ) {
    super(
      `${flag}: ${path} is being written by another run (${holder}; lock ${lockFile}). ` +
        `Wait for it to finish or choose another ${flag}; if no such run exists, delete the lock file.`,
      options,
    );
    this.flag = flag;
    this.path = path;
    this.lockFile = lockFile;
    this.pid = pid;
  }
}

/**
 * The model a command line names cannot be used as asked: with `--offline`, a hub id that is not
 * in the local cache. Never answered by silently running another model.
 */
export class ModelUnavailableError extends CliKitError {
  readonly code = 'ERR_CLI_KIT_MODEL_UNAVAILABLE' as const;
  readonly exitStatus = 1 as const;
  readonly model: string;
  constructor(model: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.model = model;
  }
}
