/**
 * Measures what the app spends on orchestrator episodes: wraps LoadedApp.invoke (the seam the
 * Durable backend calls) and counts invocations per function kind. Orchestrator CPU is the process
 * CPU (user + system) consumed while at least one orchestrator invocation is in flight; overlapping
 * invocations are counted once, so episodes running side by side are not double counted.
 */
import { performance } from 'node:perf_hooks';
import type { LoadedApp } from '../devhost/functions/types';

export interface MeterTotals {
  /** Process CPU ms while an orchestrator invocation was in flight. */
  orchestratorCpuMs: number;
  /** Wall ms while an orchestrator invocation was in flight (union of intervals). */
  orchestratorBusyMs: number;
  orchestratorInvocations: number;
  activityInvocations: number;
  /** Activity invocations by function name. */
  activities: Record<string, number>;
  otherInvocations: number;
  maxConcurrentOrchestrators: number;
}

export class InvocationMeter {
  #totals: MeterTotals = InvocationMeter.empty();
  #active = 0;
  #cpuAt = process.cpuUsage();
  #wallAt = 0;

  constructor(private readonly app: LoadedApp) {
    const invoke = app.invoke.bind(app);
    const kinds = new Map([...app.functions].map(([name, fn]) => [name, fn.trigger.type]));
    Object.assign(app, {
      invoke: async (request: Parameters<LoadedApp['invoke']>[0]) => {
        const kind = kinds.get(request.functionName);
        if (kind === 'orchestrationTrigger') return this.#timed(() => invoke(request));
        if (kind === 'activityTrigger') {
          this.#totals.activityInvocations += 1;
          this.#totals.activities[request.functionName] = (this.#totals.activities[request.functionName] ?? 0) + 1;
        } else {
          this.#totals.otherInvocations += 1;
        }
        return invoke(request);
      },
    });
  }

  /** Totals since the last reset, and starts counting afresh. */
  take(): MeterTotals {
    const totals = this.#totals;
    this.#totals = InvocationMeter.empty();
    return totals;
  }

  async #timed<T>(run: () => Promise<T>): Promise<T> {
    if (this.#active === 0) {
      this.#cpuAt = process.cpuUsage();
      this.#wallAt = performance.now();
    }
    this.#active += 1;
    this.#totals.orchestratorInvocations += 1;
    this.#totals.maxConcurrentOrchestrators = Math.max(this.#totals.maxConcurrentOrchestrators, this.#active);
    try {
      return await run();
    } finally {
      this.#active -= 1;
      if (this.#active === 0) {
        const cpu = process.cpuUsage(this.#cpuAt);
        this.#totals.orchestratorCpuMs += (cpu.user + cpu.system) / 1000;
        this.#totals.orchestratorBusyMs += performance.now() - this.#wallAt;
      }
    }
  }

  private static empty(): MeterTotals {
    return { orchestratorCpuMs: 0, orchestratorBusyMs: 0, orchestratorInvocations: 0, activityInvocations: 0, activities: {}, otherInvocations: 0, maxConcurrentOrchestrators: 0 };
  }
}
