// A clock the test moves: setTimeout/clearTimeout that run only when `advance` passes their time,
// for state machines that take injected timers (functions/entry/container-lifecycle.ts,
// container-reload.ts). Nothing waits on the real clock.

interface Timer {
  at: number;
  run: () => void;
  cleared: boolean;
}

export class FakeTimers {
  now = 0;
  #timers: Timer[] = [];

  setTimeout = (run: () => void, ms: number): unknown => {
    const timer: Timer = { at: this.now + Math.max(0, ms), run, cleared: false };
    this.#timers.push(timer);
    return timer;
  };

  clearTimeout = (timer: unknown): void => {
    if (timer) (timer as Timer).cleared = true;
  };

  /** Timers not yet run nor cleared. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cleared).length;
  }

  /** Moves the clock by `ms`, running each timer due on the way (in time order), with settled
   *  promise callbacks in between, as the event loop would. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await settle();
      const due = this.#timers
        .filter((t) => !t.cleared && t.at <= end)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.now = due.at;
      due.cleared = true;
      due.run();
    }
    this.now = end;
    await settle();
  }
}

/** Lets every promise callback that is ready run (a few turns of the microtask queue). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
