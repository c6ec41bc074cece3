// The file extensions each built-in pipeline reads from a --data directory or glob. Kept apart from
// the pipelines so resolve.ts can guess a pipeline from --data without loading sharp or the tokenizer.
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'] as const;
export const TEXT_EXTENSIONS = ['.txt', '.text', '.md'] as const;
export const TENSOR_EXTENSIONS = ['.npy', '.pb'] as const;
