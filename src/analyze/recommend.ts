// Recommendations are data: an id a report or a test can match, the advice, and the numbers it
// rests on. Each one fits a case the rules found; nothing is recommended on missing data except
// collecting it.
import type { RuleSet } from './rules.js';
import { expectedThreads, STAGE_HIGHLY_BOUND_SHARE } from './rules.js';
import type { BottleneckLabel, ClassifierInput, Recommendation, StageVerdict } from '../model/bottleneck.js';
import type { Precision } from '../model/spec.js';
import { idleThreadsAdvice, missingDataAdvice } from './thread-advice.js';

const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** Whether the backend computes in `precision` on the trial's device (no capabilities given: assume so). */
const computesIn = (input: ClassifierInput, precision: Precision): boolean => input.capabilities?.precisions.includes(precision) ?? true;
/** Whether more threads would reach the compute (tfjs wasm and tfjs-cpu run one, whatever is asked). */
const canSetThreads = (input: ClassifierInput): boolean => input.capabilities?.canSetThreads ?? true;

type Advice = (ctx: Context) => Recommendation | null;

interface Context {
  label: BottleneckLabel;
  stages: readonly StageVerdict[];
  rules: RuleSet;
  input: ClassifierInput;
  stage(name: StageVerdict['stage']): StageVerdict | undefined;
}

/** Which rule made the load stage I/O-bound: block-device waits (iowait) or an idle wait (a stream). */
function loadWaitKind(load: StageVerdict | undefined): 'iowait' | 'stream' | null {
  if (!load || load.label !== 'io-bound') return null;
  return load.rules.includes('iowait') ? 'iowait' : 'stream';
}

const ADVICE: readonly Advice[] = [
  ({ stage }) => {
    const load = stage('load');
    const kind = loadWaitKind(load);
    if (!load || !kind) return null;
    const waits = kind === 'iowait' ? 'waits on storage' : 'waits with the CPU idle (a pipe, socket or slow stream)';
    return { id: 'prefetch-inputs', text: 'read the next inputs while the current one is inferred (prefetch / double-buffering)', why: `loading input ${waits} and takes ${pct(load.share)} of the request` };
  },
  ({ stage }) => {
    const load = stage('load');
    const kind = loadWaitKind(load);
    if (!load || !kind) return null;
    const why = kind === 'iowait' ? `iowait is high while loading takes ${pct(load.share)} of the request` : `the process sits idle while loading takes ${pct(load.share)} of the request`;
    return { id: 'cache-inputs', text: 'cache decoded inputs in memory (or keep the data set in the page cache) between requests', why };
  },
  ({ stage, rules }) => {
    const load = stage('load');
    const iowait = rules.iowait.evidence[0]?.value;
    // Faster disks help only block-device waits; a slow stream is not the disk's fault.
    if (loadWaitKind(load) !== 'iowait' || !load || iowait === undefined) return null;
    return { id: 'faster-storage', text: 'move the inputs to faster storage (local NVMe or tmpfs instead of network or spinning disks)', why: `${Math.round(iowait)}% of CPU time waits on I/O` };
  },
  ({ stage }) => {
    const load = stage('load');
    if (loadWaitKind(load) !== 'stream' || !load) return null;
    return { id: 'check-input-source', text: 'check what feeds the inputs (network, pipe, producer process): the reads block without disk activity, so the source is slower than the model', why: `loading takes ${pct(load.share)} of the request with no iowait and an idle CPU` };
  },
  ({ stage }) => {
    const pre = stage('preprocess');
    if (!pre || pre.share < STAGE_HIGHLY_BOUND_SHARE) return null;
    return { id: 'offload-preprocess', text: 'move preprocessing to worker threads or precompute it, and overlap it with inference (a pipeline)', why: `preprocess is CPU work on the host and takes ${pct(pre.share)} of the request` };
  },
  ({ stage }) => {
    const post = stage('postprocess');
    if (!post || post.share < STAGE_HIGHLY_BOUND_SHARE) return null;
    return { id: 'trim-postprocess', text: 'keep outputs on the device or read back only what is needed (fewer copies in postprocess)', why: `postprocess takes ${pct(post.share)} of the request` };
  },
  ({ rules, input }) => {
    if (rules.allocation.status !== 'bound') return null;
    return { id: 'reuse-outputs', text: 'stop allocating fresh output buffers per request: keep the previous outputs alive until the next arrive (--outputs reuse), or preallocate them and pass them to run() as fetches (--outputs fetches); compare with --outputs drop,reuse,fetches', why: allocationWhy(input) };
  },
  ({ rules, input }) => {
    if (rules.allocation.status !== 'bound') return null;
    return { id: 'allocator-settings', text: 'keep freed memory in the process instead of returning it to the OS: glibc GLIBC_TUNABLES=glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432 (or MALLOC_TRIM_THRESHOLD_/MALLOC_MMAP_THRESHOLD_), or a caching allocator (jemalloc, mimalloc via LD_PRELOAD); RSS then stays near its high-water mark, so compare the report\'s RSS growth with and without', why: allocationWhy(input) };
  },
  ({ stage, input }) => {
    const inf = stage('inference');
    if (inf?.label !== 'memory-bound' || inf.rules.includes('allocation') || (input.batch !== null && input.batch > 4)) return null;
    const ai = input.roofline?.arithmeticIntensity ?? 0;
    return { id: 'increase-batch', text: 'increase the batch size (--batch): the weights are read once per batch, so FLOPs per byte grow with it', why: `arithmetic intensity is ${ai.toPrecision(3)} FLOP/byte at batch ${input.batch ?? 1}, below the machine balance of ${(input.roofline?.machineBalance ?? 0).toPrecision(3)}` };
  },
  ({ stage, input }) => {
    const inf = stage('inference');
    if (!inf || (inf.label !== 'memory-bound' && inf.label !== 'cpu-bound') || inf.rules.includes('allocation') || input.device !== 'cpu' || input.precision === 'int8' || input.precision === 'int8-static' || !computesIn(input, 'int8')) return null;
    return { id: 'quantize-int8', text: 'compare int8 variants (--precision fp32,int8,int8-static): a quarter of the fp32 weight bytes and integer kernels; dynamic int8 helps MatMul/Gemm-heavy models, while Conv-heavy ones need static quantisation, int8-static (ORT\'s ConvInteger is slow on CPU)', why: `inference is ${inf.label} on the CPU at ${input.precision}` };
  },
  ({ stage, input }) => {
    const inf = stage('inference');
    if (!inf || (inf.label !== 'memory-bound' && inf.label !== 'gpu-bound') || input.device === 'cpu' || input.precision !== 'fp32' || !computesIn(input, 'fp16')) return null;
    return { id: 'use-fp16', text: 'try fp16 on the GPU: half the bytes per weight and tensor-core math', why: `inference is ${inf.label} on ${input.device} at fp32` };
  },
  ({ stage, rules, input }) => {
    const inf = stage('inference');
    const threads = expectedThreads(input);
    if (inf?.label !== 'cpu-bound' || input.device !== 'cpu' || rules.cpuSaturation.status !== 'bound' || threads >= input.logicalCores || !canSetThreads(input)) return null;
    return { id: 'more-threads', text: `raise intra-op threads (--threads ${input.logicalCores})`, why: `the process saturates the ${threads} thread(s) it was given while the machine has ${input.logicalCores} cores` };
  },
  ({ stage, rules, input }) => {
    const inf = stage('inference');
    if (inf?.label !== 'cpu-bound' || input.device !== 'cpu' || rules.cpuSaturation.status !== 'bound') return null;
    return { id: 'try-gpu', text: 'run on a GPU (--device cuda) if one is available', why: `the CPU is saturated during inference (${inf.rules.join(', ')})` };
  },
  ({ rules, input }) => {
    if (input.device === 'cpu' || rules.gpuBusy.status !== 'not-bound') return null;
    const util = rules.gpuBusy.evidence[0]?.value ?? 0;
    return { id: 'feed-the-gpu', text: 'keep the GPU fed: larger batches, inputs already on the device (IO binding), overlapped copies', why: `the GPU is busy only ${Math.round(util)}% of the time` };
  },
  ({ rules }) => {
    if (rules.serialCpu.status !== 'bound') return null;
    return { id: 'parallelise-host-work', text: 'spread host work over cores (worker threads for pre/postprocess, more intra-op threads)', why: 'one core is saturated while the others are mostly idle' };
  },
];

function allocationWhy(input: ClassifierInput): string {
  const a = input.allocation;
  if (!a) return 'allocation-bound';
  const mib = a.outputBytesPerIteration === null ? '' : ` for ${(a.outputBytesPerIteration / 2 ** 20).toFixed(1)} MiB of outputs`;
  return `${Math.round(a.minorFaultsPerIteration)} page faults, ${a.systemCpuPerIterationMs.toFixed(2)} ms in the kernel and ${a.gcPausePerIterationMs.toFixed(2)} ms of GC per ${a.wallPerIterationMs.toFixed(2)} ms request${mib}`;
}

export function recommend(label: BottleneckLabel, stages: readonly StageVerdict[], rules: RuleSet, input: ClassifierInput): Recommendation[] {
  const ctx: Context = { label, stages, rules, input, stage: (name) => stages.find((s) => s.stage === name) };
  const fixed = ADVICE.map((advice) => advice(ctx)).filter((r): r is Recommendation => r !== null);
  return [...fixed, ...idleThreadsAdvice(ctx), ...missingDataAdvice(ctx)];
}
