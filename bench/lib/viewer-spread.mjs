import { median } from './measure.mjs';

/**
 * How far apart viewers watch the same live (issue 8: "everyone plays at the same distance from the live
 * edge"): each viewer's glass-to-glass samples ([shownAt ms, burned-in ms, ...]) are grouped into
 * `bucketMs` windows of the wall clock; in every window where each viewer showed a frame, the spread is
 * the largest minus the smallest of the viewers' median glass to glass in it (s). Returns the spreads,
 * sorted (empty with fewer than two viewers).
 */
export function viewerSpreads(perViewerSamples, bucketMs = 500) {
  if (perViewerSamples.length < 2) return [];
  const medians = perViewerSamples.map((samples) => {
    const byBucket = new Map();
    for (const [shown, burned] of samples) {
      const k = Math.floor(shown / bucketMs);
      if (!byBucket.has(k)) byBucket.set(k, []);
      byBucket.get(k).push((shown - burned) / 1000);
    }
    return new Map([...byBucket].map(([k, lat]) => [k, median(lat)]));
  });
  const spreads = [];
  for (const k of medians[0].keys()) {
    const at = medians.map((m) => m.get(k));
    if (at.some((x) => x === undefined)) continue;
    spreads.push(Math.max(...at) - Math.min(...at));
  }
  return spreads.sort((a, b) => a - b);
}
