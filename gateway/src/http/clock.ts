/** The one source of "now" for the gateway shell; tests pass a fake. Pure cores take an instant as a parameter instead. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
