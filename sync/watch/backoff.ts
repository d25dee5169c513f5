// Capped exponential backoff for reconnecting to the Kubernetes API. The cap stays near a second
// (stack.md): changes made while the API was away must show up soon after it returns.

export interface BackoffMs {
  initial: number;
  max: number;
}

export const defaultBackoffMs: BackoffMs = { initial: 200, max: 1000 };

export class Backoff {
  private current: number;

  constructor(private readonly limits: BackoffMs = defaultBackoffMs) {
    this.current = limits.initial;
  }

  /** The delay to wait now; the next one doubles, up to the cap. */
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.limits.max);
    return delay;
  }

  reset(): void {
    this.current = this.limits.initial;
  }
}
