// The pipeline library's surface for the core. Package users need only the types (types.ts);
// this barrel loads sharp and the tokenizer through image.ts/text.ts, so the core should import
// resolve.ts / runner.ts directly (resolve.ts loads the built-ins lazily).
export type { DataSource, ElementType, HostTensor, PipelineContext, PipelineModule, PipelineStage, RawItem, RawPart, TensorSpec, TypedArray } from './types.js';
export { batchIndices, openDataSource, type DataSourceOptions } from './data-source.js';
export { IMAGE_EXTENSIONS, TENSOR_EXTENSIONS, TEXT_EXTENSIONS } from './formats.js';
export { createImagePipeline, type DecodedImage } from './image.js';
export { createTextPipeline } from './text.js';
export { createTensorsPipeline, type TensorSample } from './tensors.js';
export {
  parsePostprocessSteps,
  readLabels,
  runPostprocess,
  type ClassificationRow,
  type ClassScore,
  type PostprocessResult,
  type PostprocessSpec,
  type PostprocessStep,
} from './postprocess.js';
export { loadPipelineModule, validatePipelineModule } from './load-module.js';
export { BUILTIN_PIPELINES, isNonePipeline, pipelineForData, resolvePipeline, type BuiltinPipeline } from './resolve.js';
export { createPipelineRunner, feedMismatch, type PipelineRunner, type PipelineRunnerOptions } from './runner.js';
export { pipelineFailure, runStage } from './stage-error.js';
