// Test-only helper for error assertions.

/** What `fn` threw (undefined when it returned). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
