// The whole message of a TrecParseError, as parseTrecRun and parseTrecQrels write it: for the
// tests that spell it out.
export function trecParseMessage(
  source: string,
  line: number,
  problem: string,
  expected: string,
  content: string,
): string {
  return (
    `${source}:${line}: ${problem}. Expected ${expected}; ` +
    `received ${JSON.stringify(content)}. Fix or remove that line.`
  );
}
