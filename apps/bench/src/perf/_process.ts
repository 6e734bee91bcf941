// Child processes of the benchmarks: line-wise reading of a child's output, and the protocol by
// which a benchmark runs one measurement in a child process of its own (`RESULT {json}` on stdout).
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * Calls `onLine` with each line of a text stream as it completes (a line split across chunks is
 * joined first; the last line counts even without a final newline). Line ends are not included.
 */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
  });
  stream.on('end', () => {
    if (buffered !== '') onLine(buffered);
    buffered = '';
  });
}

const RESULT = 'RESULT ';

/** Prints a child's result for {@link runPerfChild}: one `RESULT {json}` line on stdout. */
export function reportResult(result: unknown): void {
  console.log(`${RESULT}${JSON.stringify(result)}`);
}

/** The result on a `RESULT {json}` line, or undefined for any other line. */
export function parseResultLine(line: string): unknown {
  return line.startsWith(RESULT) ? (JSON.parse(line.slice(RESULT.length)) as unknown) : undefined;
}

/**
 * Runs `pnpm bench:perf <benchmark> ...args` in a new Node process (so that, e.g., a WASM heap
 * overflow cannot poison the next measurement), forwards its other output, and returns the result
 * it reported with {@link reportResult}: undefined when it died without one.
 */
export function runPerfChild(benchmark: string, args: readonly string[]): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [process.argv[1]!, benchmark, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let result: unknown;
    forEachLine(child.stdout, (line) => {
      const parsed = parseResultLine(line);
      if (parsed === undefined) console.log(line);
      else result = parsed;
    });
    child.on('error', reject);
    child.on('close', () => resolvePromise(result));
  });
}
