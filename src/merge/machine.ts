// Which machine a report was measured on, for `inferbench merge`: latencies from different
// hardware or software are not one distribution, so their reports merge only when asked. "The
// same machine" is the same hardware and software, whatever its hostname: the runners of a CI
// matrix are fresh VMs with new hostnames but one instance type.
import type { Environment } from '../types.js';

const GIB = 1024 ** 3;

/** The facts that make two machines the same, by name (the order refusals list differences in). */
export function machineFacts(environment: Environment): Record<string, string> {
  return {
    cpu: environment.cpu.model,
    'logical cores': String(environment.cpu.logicalCores),
    'physical cores': String(environment.cpu.physicalCores),
    // Rounded: two VMs of one type can differ by a few MiB the firmware keeps.
    memory: `${Math.round(environment.memoryBytes / GIB)} GiB`,
    os: `${environment.os.platform} ${environment.os.arch}`,
    node: environment.node,
    runtimes: environment.runtimes.map((r) => `${r.name} ${r.version}`).join(', '),
    gpus: environment.gpus.map((g) => g.name).join(', ') || 'none',
  };
}

/** A short name for people: 'host-1 (AMD EPYC 7763, 4 cores)'. */
export function machineLabel(environment: Environment): string {
  return `${environment.hostname} (${environment.cpu.model}, ${environment.cpu.logicalCores} cores)`;
}

/** The facts that differ, as 'cpu: A vs B'; empty when the machines are the same. */
export function machineDifferences(a: Environment, b: Environment): string[] {
  const fa = machineFacts(a);
  const fb = machineFacts(b);
  return Object.keys(fa).filter((k) => fa[k] !== fb[k]).map((k) => `${k}: ${fa[k]} vs ${fb[k]}`);
}
