// Types of viewer-spread.mjs, for its spec and type-checked lint.
export function viewerSpreads(perViewerSamples: (readonly [number, number, ...unknown[]])[][], bucketMs?: number): number[];
