/** A stream that may be a terminal: `process.stderr`, or a test double. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** ANSI styles for one stream; each returns its text unchanged when colour is off. */
export interface Palette {
  readonly enabled: boolean;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

/**
 * Whether to colour what goes to `stream`: only when it is a terminal, and never when `NO_COLOR`
 * is set to a non-empty value (https://no-color.org). Logs and pipes get plain text.
 */
export function colourEnabled(stream: OutputStream, env: Environment = process.env): boolean {
  const noColor = env.NO_COLOR;
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

const style =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/** The {@link Palette} for `stream`: colours when {@link colourEnabled}, plain text otherwise. */
export function palette(stream: OutputStream, env: Environment = process.env): Palette {
  const enabled = colourEnabled(stream, env);
  return {
    enabled,
    red: style(enabled, 31, 39),
    yellow: style(enabled, 33, 39),
    cyan: style(enabled, 36, 39),
    bold: style(enabled, 1, 22),
    dim: style(enabled, 2, 22),
  };
}
