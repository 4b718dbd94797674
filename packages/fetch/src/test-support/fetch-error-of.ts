import { FetchError } from '../fetch.error.js';

/** Awaits a promise that must fail with a FetchError and returns that error. */
export async function fetchErrorOf(promise: Promise<unknown>): Promise<FetchError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('value' in outcome) throw new Error(`expected a FetchError, the call succeeded with ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof FetchError)) throw outcome.error;
  return outcome.error;
}
