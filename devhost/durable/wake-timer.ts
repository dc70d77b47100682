/**
 * One wake-up at an absolute time, re-armed in steps because `setTimeout` caps at ~24.8 days.
 * Referenced: the owner cancels it on close.
 */
const MAX_DELAY = 2 ** 31 - 1;

export class WakeTimer {
  #handle: NodeJS.Timeout | undefined;
  #at: number | undefined;
  readonly #onWake: () => void;
  readonly #now: () => number;

  constructor(onWake: () => void, now: () => number) {
    this.#onWake = onWake;
    this.#now = now;
  }

  /** Arms for `at` unless already armed for an earlier time. */
  armAt(at: number): void {
    if (this.#at !== undefined && this.#at <= at) return;
    this.#arm(at);
  }

  #arm(at: number): void {
    this.cancel();
    this.#at = at;
    const delay = Math.max(0, Math.min(at - this.#now(), MAX_DELAY));
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      if (this.#now() < at) {
        this.#arm(at);
        return;
      }
      this.#at = undefined;
      this.#onWake();
    }, delay);
  }

  cancel(): void {
    if (this.#handle) clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#at = undefined;
  }
}
