import { Option, type Command } from 'commander';
import type { SelectBackendOptions, TfjsBackendName } from '@rtk/tfjs';
import { UsageError } from './errors.js';

/** `--backend` values: `@rtk/tfjs`' backend names (kept equal to its `TFJS_BACKENDS` by a test). */
export const BACKEND_CHOICES: readonly TfjsBackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** `--backend` and `--gpu` as commander parses them. */
export interface BackendFlags {
  readonly backend?: TfjsBackendName;
  readonly gpu: boolean;
}

/**
 * Adds `--backend <name>` and `--gpu`: which TF.js backend trains. By default `@rtk/tfjs` tries
 * tfjs-node (TensorFlow's native CPU kernels), then WASM, then plain JS, and says which ran;
 * `--backend` pins one (an error if it cannot start); `--gpu` tries `@tensorflow/tfjs-node-gpu`
 * (CUDA) before tfjs-node.
 */
export function addBackendOptions(command: Command, scope = ''): Command {
  return command
    .addOption(
      new Option(
        '--backend <name>',
        `${scope}TF.js backend for training (default: the first that starts of tensorflow, wasm, cpu; pinned, it must start)`,
      ).choices([...BACKEND_CHOICES]),
    )
    .addOption(
      new Option(
        '--gpu',
        `${scope}try @tensorflow/tfjs-node-gpu (CUDA) before @tensorflow/tfjs-node; install it first`,
      ).default(false),
    );
}

/**
 * The `selectBackend` options the flags ask for; `--gpu` with `--backend wasm|cpu` is a
 * {@link UsageError} (the GPU build is a `tensorflow` backend).
 */
export function backendOptions(flags: BackendFlags): SelectBackendOptions {
  if (flags.gpu && flags.backend !== undefined && flags.backend !== 'tensorflow') {
    throw new UsageError(
      `--gpu runs on the tensorflow backend (@tensorflow/tfjs-node-gpu); drop --backend ${flags.backend} or use --backend tensorflow`,
      '--gpu',
    );
  }
  return {
    ...(flags.gpu ? { gpu: true } : {}),
    ...(flags.backend === undefined ? {} : { prefer: [flags.backend] }),
  };
}
