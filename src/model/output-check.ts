// --check-outputs: a model's outputs against the expected outputs shipped with ONNX test data sets.

export interface OutputComparison {
  name: string;
  /** 'match' or why not: another type or shape, or `mismatched` elements out of tolerance. */
  status: 'match' | 'mismatch';
  elements: number;
  mismatched: number;
  /** max |actual − expected| over finite pairs (0 when none). */
  maxAbsError: number;
  /** Why it does not match, in words, when it does not. */
  detail?: string;
}

export interface DataSetCheck {
  path: string;
  status: 'match' | 'mismatch' | 'error';
  outputs: OutputComparison[];
  /** Why the data set could not be run ('error'). */
  error?: string;
}

export interface OutputCheck {
  device: string;
  rtol: number;
  atol: number;
  dataSets: DataSetCheck[];
  /** 'match' when every data set matched. */
  status: 'match' | 'mismatch' | 'error';
}
