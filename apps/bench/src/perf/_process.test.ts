import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forEachLine, parseResultLine } from './_process.js';

describe('forEachLine', () => {
  it('joins lines split across chunks and keeps a last line without a newline', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    forEachLine(stream, (l) => lines.push(l));
    const ended = new Promise((r) => stream.on('end', r));
    for (const chunk of ['RES', 'ULT {"a":', '1}\nsecond\r\n', '\nlast']) stream.write(chunk);
    stream.end();
    await ended;
    expect(lines).toEqual(['RESULT {"a":1}', 'second', '', 'last']);
  });
});

describe('parseResultLine', () => {
  it.each([
    ['RESULT {"ok":true,"batch":32}', { ok: true, batch: 32 }],
    ['RESULT [1,2]', [1, 2]],
    ['  torch: [small] train …', undefined],
    ['RESULTS are in', undefined],
  ])('%j → %j', (line, want) => {
    expect(parseResultLine(line)).toEqual(want);
  });
});
