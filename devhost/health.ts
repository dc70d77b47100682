/**
 * The state of each part of the local host, for `GET /api/health`: 200 once every part is up,
 * 503 before (and after a part failed or stopped).
 */
export type PartState = 'starting' | 'up' | 'failed' | 'stopping' | 'stopped';

export interface PartHealth {
  state: PartState;
  detail?: Record<string, unknown>;
  error?: string;
}

export class HealthBoard {
  readonly #parts = new Map<string, PartHealth>();
  readonly #startedAt = new Date().toISOString();

  set(part: string, state: PartState, extra: Omit<PartHealth, 'state'> = {}): void {
    this.#parts.set(part, { state, ...extra });
  }

  get(part: string): PartHealth | undefined {
    return this.#parts.get(part);
  }

  /** Every part known so far is up, and `required` parts are all known. */
  healthy(required: readonly string[] = []): boolean {
    return required.every((p) => this.#parts.has(p)) && [...this.#parts.values()].every((p) => p.state === 'up');
  }

  report(required: readonly string[] = []): { status: 'healthy' | 'unhealthy'; startedAt: string; parts: Record<string, PartHealth> } {
    const parts: Record<string, PartHealth> = {};
    for (const name of required) if (!this.#parts.has(name)) parts[name] = { state: 'starting' };
    for (const [name, part] of this.#parts) parts[name] = part;
    return { status: this.healthy(required) ? 'healthy' : 'unhealthy', startedAt: this.#startedAt, parts };
  }
}
