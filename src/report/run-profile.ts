import type { GateResult } from '../gates/index.js';
import type { RejectedRow } from '../errors/index.js';
import { mergeFeatureStats, type FeatureStats, type ScoredChunk } from '../scoring/index.js';
import { RECORDED_REJECTS, RUN_DETAILS_VERSION, type ScoreRunDetails } from './run-details.js';
import type { RunTimings } from './run-timings.js';
import { describeScores, type ScoreDistribution } from './score-distribution.js';
import { ScoreSample } from './score-sample.js';
import { ScoreStatsAccumulator, type ScoreStats } from './score-stats.js';

/** What is known once the gates ran, added to the profile when the run is recorded. */
export interface GateOutcome {
  readonly gates: readonly GateResult[];
  readonly forced: boolean;
  readonly baselineRunId: string | null;
  readonly nonFiniteScores: number;
  readonly workers: number;
  readonly timings: RunTimings;
}

/**
 * What a run saw, gathered on the main thread chunk by chunk in constant
 * memory: its score statistics (ScoreStatsAccumulator) and a sample of its
 * scores (ScoreSample), the merged profile of its inputs, and its rejects by code.
 */
export class RunProfile {
  private readonly stats = new ScoreStatsAccumulator();
  private readonly sample = new ScoreSample();
  private features: FeatureStats[] | undefined;
  private readonly byCode: Record<string, number> = {};
  private readonly firstRejects: RejectedRow[] = [];
  private sortedSample: Float64Array | undefined;

  constructor(private readonly now: () => Date) {}

  /** Takes in one scored chunk (its first column is the score). */
  add(chunk: ScoredChunk): void {
    const scores = chunk.columns[0] ?? [];
    this.stats.add(scores);
    this.sample.add(chunk.ids, scores);
    this.sortedSample = undefined;
    if (chunk.featureStats.length > 0) this.features = mergeFeatureStats(this.features, chunk.featureStats);
    for (const reject of chunk.rejects) {
      this.byCode[reject.code] = (this.byCode[reject.code] ?? 0) + 1;
      if (this.firstRejects.length < RECORDED_REJECTS) this.firstRejects.push(reject);
    }
  }

  /** Min, mean and max of every finite score taken in, and the count of the others. */
  scoreStats(): ScoreStats {
    return this.stats.result();
  }

  /** The sampled finite scores, ascending. */
  sorted(): Float64Array {
    return (this.sortedSample ??= this.sample.sorted());
  }

  /** The score distribution; null when no score was finite. */
  distribution(): ScoreDistribution | null {
    return describeScores(this.sorted());
  }

  /** The run's `details`, once its gates are evaluated. */
  details(outcome: GateOutcome): ScoreRunDetails {
    return {
      version: RUN_DETAILS_VERSION,
      ...outcome,
      score: this.distribution(),
      features: this.features ?? [],
      rejects: { byCode: { ...this.byCode }, first: [...this.firstRejects] },
      checkedAt: this.now().toISOString(),
    };
  }
}
