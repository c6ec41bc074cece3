// Which file each precision runs, resolved once per sweep: the model itself for fp32; for fp16 and
// int8 a file the user named, a conventional sibling, or one inferbench generates and caches.
// And the fp32 reference a variant's outputs are compared with.
import type { HostTensor, RuntimeAdapter, Session } from '../adapters/adapter.js';
import type { Precision, VariantInfo } from '../types.js';
import { compareOutputs } from '../variants/accuracy.js';
import { findVariants, generatedVariant } from '../variants/find-variants.js';
import type { AccuracyVsFp32 } from '../types.js';

export class VariantResolver {
  private readonly resolved = new Map<Precision, Promise<VariantInfo>>();

  constructor(
    private readonly model: string,
    private readonly userVariants: Partial<Record<Precision, string>>,
    private readonly cacheDir?: string,
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
    const { fp16, int8 } = this.userVariants;
    const named = findVariants(this.model, { ...(fp16 && { fp16 }), ...(int8 && { int8 }) })[precision];
    if (named) return { path: named.path, source: named.source === 'user' ? 'user' : 'sibling' };
    const generated = await generatedVariant(this.model, precision, ...(this.cacheDir ? [this.cacheDir] : []));
    return { path: generated.path, source: 'generated', provenance: generated.provenance };
  }
}

/** The fp32 model on the CPU, opened on first use, giving reference outputs for given inputs. */
export class Fp32Reference {
  private session: Promise<Session> | undefined;

  constructor(
    private readonly adapter: RuntimeAdapter,
    private readonly model: string,
  ) {}

  async accuracyOf(candidate: Session, tensors: readonly HostTensor[]): Promise<AccuracyVsFp32> {
    this.session ??= this.adapter.open(this.model, { device: 'cpu', intraOpThreads: null, interOpThreads: null, graphOptimization: 'all' });
    const reference = await this.session;
    const expected = reference.collect(await reference.run(reference.prepare(tensors)));
    const actual = candidate.collect(await candidate.run(candidate.prepare(tensors)));
    return compareOutputs(expected, actual);
  }

  async close(): Promise<void> {
    if (this.session) await (await this.session).close();
  }
}
