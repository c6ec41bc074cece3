// Which file each precision runs, resolved once per sweep: the model itself for fp32; for fp16,
// int8 and int8-static a file the user named, a conventional sibling, or one inferbench generates
// and caches (int8-static calibrated on the reference inputs first). What a generated variant
// changed decides whether it runs at all: one that converted nothing is not that precision.
// And the fp32 reference a variant's outputs are compared with.
import { createHash } from 'node:crypto';
import type { HostTensor, RuntimeAdapter, Session } from '../adapters/adapter.js';
import { withNpyShapes } from '../inputs/input-file.js';
import { resolveShapes } from '../inputs/shapes.js';
import type { ResolvedProfileOptions } from '../profile-options.js';
import type { AccuracyVsFp32, Precision, VariantInfo, Warning } from '../types.js';
import { compareOutputSets } from '../variants/accuracy.js';
import { convertedNodes, describeEligible, PARTIAL_COVERAGE_SHARE } from '../variants/coverage.js';
import { findVariants, generatedVariant } from '../variants/find-variants.js';
import type { Calibration } from '../variants/variant-cache.js';
import { calibrateRanges } from './calibrate-static.js';
import { CALIBRATION_SEED_OFFSET, CALIBRATION_SETS, referenceInputSets, type InputSets } from './reference-inputs.js';

export class VariantResolver {
  private readonly resolved = new Map<Precision, Promise<VariantInfo>>();

  constructor(
    private readonly model: string,
    private readonly userVariants: Partial<Record<Precision, string>>,
    private readonly cacheDir?: string,
    /** Needed to calibrate int8-static: the runtime and the sweep's options (pins, --data, seed). */
    private readonly calibrate?: { adapter: RuntimeAdapter; options: ResolvedProfileOptions },
  ) {}

  /** Rejects (once per precision) when a named file is missing or generation fails. */
  resolve(precision: Precision): Promise<VariantInfo> {
    let found = this.resolved.get(precision);
    if (!found) {
      found = this.find(precision);
      this.resolved.set(precision, found);
    }
    return found;
  }

  private async find(precision: Precision): Promise<VariantInfo> {
    if (precision === 'fp32') return { path: this.model, source: 'original' };
    const named = findVariants(this.model, this.userVariants)[precision];
    if (named) return { path: named.path, source: named.source === 'user' ? 'user' : 'sibling' };
    const cacheDir = this.cacheDir ? [this.cacheDir] : [];
    if (precision !== 'int8-static') {
      const generated = await generatedVariant(this.model, precision, ...cacheDir);
      return { path: generated.path, source: 'generated', provenance: generated.provenance, coverage: generated.coverage };
    }
    if (!this.calibrate) throw new Error('int8-static needs the runtime to calibrate');
    const inputs = await calibrationInputs(this.calibrate.adapter, this.model, this.calibrate.options);
    const calibration: Calibration = { key: hashSets(inputs.sets), ranges: (bytes) => calibrateRanges(this.calibrate!.adapter, bytes, inputs.sets) };
    const generated = await generatedVariant(this.model, precision, this.cacheDir ?? undefined, calibration);
    return {
      path: generated.path, source: 'generated', provenance: generated.provenance, coverage: generated.coverage,
      calibration: { inputSets: inputs.sets.length, source: inputs.source, synthetic: inputs.synthetic },
    };
  }
}

/** The calibration sets, at the model's own batch (1 for a symbolic one). */
async function calibrationInputs(adapter: RuntimeAdapter, model: string, options: ResolvedProfileOptions): Promise<InputSets> {
  const session = await adapter.open(model, { device: 'cpu', intraOpThreads: null, interOpThreads: null, graphOptimization: 'all' });
  try {
    const pins = withNpyShapes(options.pins);
    const shapes = resolveShapes(session.info.inputs, pins, null);
    return await referenceInputSets(session, shapes, 1, pins, options, CALIBRATION_SETS, CALIBRATION_SEED_OFFSET);
  } finally {
    await session.close();
  }
}

function hashSets(sets: readonly (readonly HostTensor[])[]): string {
  const hash = createHash('sha256');
  for (const set of sets) {
    for (const t of set) {
      hash.update(`${t.name}:${t.type}:${t.dims.join('x')};`);
      const data = t.data;
      hash.update(Array.isArray(data) ? data.join('\u0000') : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
  }
  return hash.digest('hex');
}

/** Why a variant does not run under its precision's name: it converted nothing. */
export function variantSkipReason(precision: Precision, variant: VariantInfo): string | null {
  const coverage = variant.coverage;
  if (!coverage || convertedNodes(coverage) > 0) return null;
  const what = precision === 'fp16' ? 'no float32 computation to convert' : 'no quantizable weights';
  return `${what}: the ${precision} converter changed nothing in this model (eligible: ${describeEligible(coverage)}; no float32 constant weight feeds them), so it would run the fp32 model under the name ${precision}`;
}

/** Partial coverage and calibration on synthetic data, as trial warnings. */
export function variantWarnings(precision: Precision, variant: VariantInfo): Warning[] {
  const warnings: Warning[] = [];
  const share = variant.coverage?.computeWeightShare;
  if (share !== null && share !== undefined && share < PARTIAL_COVERAGE_SHARE) {
    warnings.push({ code: 'partial-conversion', message: `${precision} converted only ${(share * 100).toFixed(0)}% of the MatMul/Gemm/Conv weights: most of the compute still runs in fp32` });
  }
  if (variant.calibration?.synthetic) {
    warnings.push({ code: 'synthetic-calibration', message: `int8-static activation ranges were calibrated on ${variant.calibration.source}: real inputs (--data) calibrate better, since synthetic ranges need not match the data's` });
  }
  return warnings;
}

/** The fp32 model on the CPU, opened on first use, giving reference outputs for given inputs. */
export class Fp32Reference {
  private session: Promise<Session> | undefined;

  constructor(
    private readonly adapter: RuntimeAdapter,
    private readonly model: string,
  ) {}

  /** The candidate's drift from fp32 over every input set. */
  async accuracyOf(candidate: Session, inputs: InputSets): Promise<AccuracyVsFp32> {
    this.session ??= this.adapter.open(this.model, { device: 'cpu', intraOpThreads: null, interOpThreads: null, graphOptimization: 'all' });
    const reference = await this.session;
    const pairs = [];
    for (const set of inputs.sets) {
      pairs.push({
        reference: reference.collect(await reference.run(reference.prepare(set))),
        candidate: candidate.collect(await candidate.run(candidate.prepare(set))),
      });
    }
    return { ...compareOutputSets(pairs), inputSets: inputs.sets.length, inputSource: inputs.source };
  }

  async close(): Promise<void> {
    if (this.session) await (await this.session).close();
  }
}
