// Test-only helper for error assertions.

/** What `run` threw, or what the promise it returned rejected with; throws if neither. */
export async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
