import { PrescoreError } from '../errors/index.js';
import { rejectLimitBroken } from './reject-tally.js';

/**
 * The rejected-rows limits applied to a whole run from its counts alone: what
 * the shard that completes a sharded run checks once every shard's counts are
 * in (each shard checks only the limits its own rows can break: any reject
 * under the default rate of 0, and `--max-rejects`). Throws CSV_NO_ROWS when
 * the run read no row, CSV_TOO_MANY_REJECTS over `maxRejects` or, without
 * it, over `maxRate`.
 */
export function checkRunRejects(run: { readonly rowsRead: number; readonly rowsRejected: number }, maxRate: number, maxRejects: number | undefined): void {
  if (run.rowsRead === 0) {
    throw new PrescoreError('CSV_NO_ROWS', 'The table has a header but no rows (in any shard)', { hint: 'Check the export that produced it' });
  }
  const over = rejectLimitBroken(run.rowsRead, run.rowsRejected, maxRate, maxRejects);
  if (over !== false) {
    throw new PrescoreError('CSV_TOO_MANY_REJECTS', `${run.rowsRejected} rows rejected across the shards (${over})`, {
      hint: "Each shard's log and the rejects table (prescore_rejects) name the rows; fix the input, or raise the limit if these rows may be skipped",
    });
  }
}
