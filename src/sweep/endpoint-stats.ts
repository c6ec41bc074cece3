// A remote target's section of a trial: how tensors travelled and, when the server has the
// statistics extension, what it says it did with the measured requests — two snapshots of its
// cumulative counters, one before the measured phase's first request (the phase hook is awaited:
// nothing is in flight then) and one after the trial, subtracted into per-request averages
// (perf_analyzer's method). The second also counts the untimed requests after the measured
// phase (the page-fault attribution pass), so `requests` can exceed the measured count.
import type { Session } from '../adapters/adapter.js';
import type { EndpointSection } from '../model/trial.js';

export class EndpointStats {
  private before: Promise<unknown> | null = null;

  constructor(private readonly session: Session) {}

  /** Called (and awaited) as the measured phase starts. */
  async start(): Promise<void> {
    if (this.session.endpoint && this.session.serverStats) this.before = this.session.serverStats().catch(() => null);
    await this.before;
  }

  async section(): Promise<EndpointSection | undefined> {
    const info = this.session.endpoint;
    if (!info) return undefined;
    if (!this.before || !this.session.serverStats) return { ...info };
    const before = await this.before;
    const after = await this.session.serverStats().catch(() => null);
    const server = this.session.serverStatsDelta?.(before, after) ?? null;
    return { ...info, ...(server && { server }) };
  }
}
