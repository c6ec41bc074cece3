// A remote target's section of a trial: how tensors travelled and, when the server has the
// statistics extension, what it says it did with the measured requests — two snapshots of its
// cumulative counters, one as the measured phase starts (nothing is in flight then: the streams
// wait for GO) and one after, subtracted into per-request averages (perf_analyzer's method).
import type { Session } from '../adapters/adapter.js';
import type { EndpointSection } from '../model/trial.js';

export class EndpointStats {
  private before: Promise<unknown> | null = null;

  constructor(private readonly session: Session) {}

  /** Called from the synchronous phase hook: the snapshot's request runs beside the first measured one. */
  start(): void {
    if (this.session.endpoint && this.session.serverStats) this.before = this.session.serverStats().catch(() => null);
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
