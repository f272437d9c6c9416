/** ONNX models: inspection, plans, generated entry scripts and the onnxruntime-node preview. */
export {
  inspectModelFile,
  inspectModel,
  formatShape,
  formatSize,
  ModelFileError,
  type ModelInfo,
  type TensorInfo,
  type Dim,
} from './inspect';
export {
  planProblems,
  suggestImage,
  suggestOutputMode,
  itemShape,
  batchedInput,
  type ModelPlan,
  type ModelInputKind,
  type ImagePreprocessing,
  type ImageLayout,
  type OutputMode,
} from './plan';
export { modelScaffold, condaFile, type ModelScaffold, type ModelScaffoldOptions } from './generate';
export { onnxEntryScript } from './entry-script';
export { previewModel, loadOnnxRuntime, type PreviewResult, type PreviewRow } from './preview';
