/** Test helper shared by the codec, payload and store tests. */

/** The error `fn` throws, which must be a `type` (any other error is rethrown; no error fails the test). */
export function thrown<E extends Error>(type: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}`);
}
