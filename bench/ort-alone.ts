/**
 * onnxruntime-node alone, one thread, on a benchmark model: the ceiling the
 * pipeline's inference can reach (BENCHMARKS.md, "Where the time goes").
 * Usage: npx tsx bench/ort-alone.ts [MODEL] (default bench/out/trees-100x6.onnx; run make bench once first)
 */
import * as ort from 'onnxruntime-node';

import { Prng } from '../scripts/fixtures/prng.js';

const model = process.argv[2] ?? new URL('./out/trees-100x6.onnx', import.meta.url).pathname;
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
const input = session.inputNames[0]!;
for (const batch of [1024, 8192, 65536]) {
  // Values drawn like the benchmark table's (uniform over 0–100): a tree's cost depends on the paths taken.
  const prng = new Prng(batch);
  const data = Float32Array.from({ length: batch * 32 }, () => prng.uniform(0, 100));
  const feeds = { [input]: new ort.Tensor('float32', data, [batch, 32]) };
  await session.run(feeds);
  const runs = Math.ceil(500_000 / batch);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds);
  const seconds = (performance.now() - start) / 1000;
  console.log(`batch ${batch}: ${Math.round((runs * batch) / seconds).toLocaleString('en-US')} rows/s on one thread`);
}
