/** Scores a run keeps to describe its distribution, whatever its row count. */
export const SAMPLE_SIZE = 10_000;

/**
 * A uniform sample of the finite scores of a run in constant memory: the
 * `capacity` rows whose entity id hashes lowest (a bottom-k sample). Unlike a
 * reservoir it depends on neither the order chunks arrive in nor a seed, so
 * the same table gives the same sample — and the same quantiles, PSI and
 * report — with any number of workers. With k = 10,000 the rank of a sampled
 * quantile is off by at most ±0.5% (one standard error, √(p(1−p)/k) at the
 * median) and each decile bin holds 10% ± 0.3% of the rows; below k rows the
 * sample is every row and the figures are exact. Memory: k × 20 bytes plus
 * the ids.
 */
export class ScoreSample {
  private size = 0;
  /** A max-heap on (hash, id): the root is the row to evict next. */
  private readonly hashes: Uint32Array;
  private readonly scores: Float64Array;
  private readonly ids: string[];

  constructor(private readonly capacity: number = SAMPLE_SIZE) {
    this.hashes = new Uint32Array(capacity);
    this.scores = new Float64Array(capacity);
    this.ids = new Array<string>(capacity);
  }

  /** Offers each row's score; non-finite scores are left out (the stats count them). */
  add(ids: readonly string[], scores: ArrayLike<number | bigint | string>): void {
    for (let i = 0; i < ids.length; i++) {
      const score = Number(scores[i]);
      if (!Number.isFinite(score)) continue;
      const id = ids[i]!;
      const hash = hashId(id);
      if (this.size < this.capacity) {
        this.hashes[this.size] = hash;
        this.scores[this.size] = score;
        this.ids[this.size] = id;
        this.siftUp(this.size++);
      } else if (this.below(hash, id, 0)) {
        this.hashes[0] = hash;
        this.scores[0] = score;
        this.ids[0] = id;
        this.siftDown(0);
      }
    }
  }

  /** The sampled scores, ascending. */
  sorted(): Float64Array {
    return this.scores.slice(0, this.size).sort();
  }

  /** Whether (hash, id) ranks below the row at heap position `at`. */
  private below(hash: number, id: string, at: number): boolean {
    const h = this.hashes[at]!;
    return hash < h || (hash === h && id < this.ids[at]!);
  }

  private siftUp(at: number): void {
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.below(this.hashes[parent]!, this.ids[parent]!, i)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(at: number): void {
    let i = at;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const larger = right < this.size && this.below(this.hashes[left]!, this.ids[left]!, right) ? right : left;
      if (!this.below(this.hashes[i]!, this.ids[i]!, larger)) return;
      this.swap(i, larger);
      i = larger;
    }
  }

  private swap(a: number, b: number): void {
    const h = this.hashes[a]!;
    this.hashes[a] = this.hashes[b]!;
    this.hashes[b] = h;
    const s = this.scores[a]!;
    this.scores[a] = this.scores[b]!;
    this.scores[b] = s;
    const id = this.ids[a]!;
    this.ids[a] = this.ids[b]!;
    this.ids[b] = id;
  }
}

/** FNV-1a over the UTF-16 code units, then murmur3's finaliser: ids differing in one digit land far apart. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
