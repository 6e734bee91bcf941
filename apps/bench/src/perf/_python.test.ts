// The runner is tested with Node standing in for Python: it runs any interpreter.
import { describe, expect, it } from 'vitest';
import {
  lastJsonLine,
  PythonReferenceError,
  referenceEnv,
  runPythonJson,
  streamPython,
  UNSET_FOR_REFERENCE,
} from './_python.js';

const node = process.execPath;

describe('lastJsonLine', () => {
  it.each([
    ['{"seconds": 1.5}', { seconds: 1.5 }],
    ['fitting…\n{"seconds": 1.5}\n\n', { seconds: 1.5 }],
    ['[1, 2]\n  {"last": true}  \n', { last: true }],
  ])('reads the last line of %j', (stdout, want) => {
    expect(lastJsonLine(stdout, 'ref.py')).toEqual(want);
  });

  it.each([
    ['', 'printed nothing'],
    ['{"a": 1}\ndone', 'not JSON: done'],
  ])('rejects %j with an error naming the command', (stdout, fact) => {
    const run = (): unknown => lastJsonLine(stdout, 'ref.py --x');
    expect(run).toThrow(PythonReferenceError);
    expect(run).toThrow(/ref\.py --x/);
    expect(run).toThrow(fact);
  });
});

describe('referenceEnv', () => {
  it('drops the OpenBLAS tuning variables, keeps the rest, adds the extra ones', () => {
    const base = {
      PATH: '/bin',
      OPENBLAS_CORETYPE: 'Haswell',
      OPENBLAS_L2_SIZE: '1024',
      OMP_NUM_THREADS: '8',
    };
    expect(referenceEnv({ OMP_NUM_THREADS: '2' }, base)).toEqual({
      PATH: '/bin',
      OMP_NUM_THREADS: '2',
    });
    expect(base.OPENBLAS_CORETYPE).toBe('Haswell');
    expect(UNSET_FOR_REFERENCE).toEqual(['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']);
  });
});

// What the child sees of the variables; printed as its JSON result.
const PRINT_ENV = `console.log("progress"); console.log(JSON.stringify({ core: process.env.OPENBLAS_CORETYPE ?? null, threads: process.env.OMP_NUM_THREADS ?? null }))`;

describe('runPythonJson', () => {
  it('runs the reference without the OpenBLAS variables and returns its last line', () => {
    process.env.OPENBLAS_CORETYPE = 'Haswell';
    try {
      expect(
        runPythonJson({ python: node, args: ['-e', PRINT_ENV], env: { OMP_NUM_THREADS: '2' } }),
      ).toEqual({
        core: null,
        threads: '2',
      });
      // Ours keeps it.
      expect(process.env.OPENBLAS_CORETYPE).toBe('Haswell');
    } finally {
      delete process.env.OPENBLAS_CORETYPE;
    }
  });

  it('reports a failed reference with its exit status and stderr', () => {
    const run = (): unknown =>
      runPythonJson({
        python: node,
        args: ['-e', 'console.error("no module named torch"); process.exit(3)'],
      });
    expect(run).toThrow(PythonReferenceError);
    expect(run).toThrow(/exited with 3:\nno module named torch/);
  });

  it('reports an interpreter that does not exist', () => {
    expect(() => runPythonJson({ python: '/no/such/python3', args: [] })).toThrow(
      /could not start/,
    );
  });
});

describe('streamPython', () => {
  it('hands over each line and stops the reference when asked', async () => {
    const lines: string[] = [];
    const forever = 'let i = 0; setInterval(() => console.log(`line ${i++}`), 5)';
    await streamPython({ python: node, args: ['-e', forever] }, (line, stop) => {
      lines.push(line);
      if (lines.length === 3) stop();
    });
    expect(lines).toEqual(['line 0', 'line 1', 'line 2']);
  });

  it('sees the reference environment too', async () => {
    process.env.OPENBLAS_L2_SIZE = '1024';
    const lines: string[] = [];
    try {
      await streamPython(
        { python: node, args: ['-e', 'console.log(process.env.OPENBLAS_L2_SIZE ?? "unset")'] },
        (line) => lines.push(line),
      );
    } finally {
      delete process.env.OPENBLAS_L2_SIZE;
    }
    expect(lines).toEqual(['unset']);
  });

  it('rejects when the reference fails on its own', async () => {
    const failing = streamPython(
      { python: node, args: ['-e', 'console.error("boom"); process.exit(2)'] },
      () => {},
    );
    await expect(failing).rejects.toThrow(PythonReferenceError);
    await expect(
      streamPython(
        { python: node, args: ['-e', 'console.error("boom"); process.exit(2)'] },
        () => {},
      ),
    ).rejects.toThrow(/exited with 2:\nboom/);
  });
});
