/** Running min / mean / max / non-finite count of the published score column. */
export interface ScoreStats {
  readonly count: number;
  readonly min: number | null;
  readonly mean: number | null;
  readonly max: number | null;
  /** NaN and ±Infinity scores seen. */
  readonly nonFinite: number;
}

/**
 * Accumulates score statistics batch by batch in constant memory. Non-finite
 * values are counted apart and kept out of min/mean/max.
 */
export class ScoreStatsAccumulator {
  private count = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private nonFinite = 0;

  add(values: ArrayLike<number | bigint | string>): void {
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (!Number.isFinite(v)) {
        this.nonFinite++;
        continue;
      }
      this.count++;
      this.sum += v;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
  }

  result(): ScoreStats {
    const any = this.count > 0;
    return {
      count: this.count,
      min: any ? this.min : null,
      mean: any ? this.sum / this.count : null,
      max: any ? this.max : null,
      nonFinite: this.nonFinite,
    };
  }
}
