import { GATE_STATUSES, type GateResult } from '../gates/index.js';

/** What the metrics file says about the last run of a table. */
export interface RunMetrics {
  readonly table: string;
  readonly published: boolean;
  readonly exitCode: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** Unknown when the run failed before its rows were counted. */
  readonly rows: { readonly read: number; readonly scored: number; readonly rejected: number } | undefined;
  /** Empty when the run failed before the gates ran. */
  readonly gates: readonly GateResult[];
  readonly forced: boolean;
  /** The last successful publish, this run's or an earlier one's; null when none is known. */
  readonly lastSuccessAt: Date | null;
}

/** The metric carrying the last success time, which a failed run keeps from the file it replaces. */
export const LAST_SUCCESS_METRIC = 'prescore_last_success_timestamp_seconds';

/**
 * The Prometheus text exposition format (version 0.0.4) of a run, for
 * node_exporter's textfile collector: gauges labelled with the table, each
 * family once with its HELP and TYPE, gate verdicts as one 0/1 series per
 * status (the usual enum pattern) plus the measured value. Pure.
 */
export function formatRunMetrics(m: RunMetrics): string {
  const table = { table: m.table };
  const families: Family[] = [];
  const gauge = (name: string, help: string, samples: Sample[]): void => void families.push({ name, help, samples });
  if (m.rows !== undefined) {
    gauge('prescore_run_rows_read', 'Rows read from the input by the last run.', [[table, m.rows.read]]);
    gauge('prescore_run_rows_scored', 'Rows scored by the last run.', [[table, m.rows.scored]]);
    gauge('prescore_run_rows_rejected', 'Rows rejected by the last run.', [[table, m.rows.rejected]]);
  }
  gauge('prescore_run_duration_seconds', 'Wall-clock duration of the last run.', [[table, (m.finishedAt.getTime() - m.startedAt.getTime()) / 1000]]);
  gauge('prescore_run_success', '1 if the last run published, else 0.', [[table, m.published ? 1 : 0]]);
  gauge('prescore_run_exit_code', 'Exit code of the last run (README, "Exit codes").', [[table, m.exitCode]]);
  gauge('prescore_run_forced', '1 if the last run published over failed gates with --force.', [[table, m.forced ? 1 : 0]]);
  gauge('prescore_run_timestamp_seconds', 'When the last run ended, in Unix seconds.', [[table, seconds(m.finishedAt)]]);
  if (m.lastSuccessAt !== null) gauge(LAST_SUCCESS_METRIC, 'When a run last published this table, in Unix seconds.', [[table, seconds(m.lastSuccessAt)]]);
  if (m.gates.length > 0) {
    gauge(
      'prescore_gate_status',
      'Gate verdicts of the last run: 1 for the status each gate had, 0 for the others.',
      m.gates.flatMap((g) => GATE_STATUSES.map((status): Sample => [{ ...table, gate: g.gate, status }, g.status === status ? 1 : 0])),
    );
    gauge(
      'prescore_gate_value',
      'What each gate measured in the last run (rows, a rate, a relative change, a PSI).',
      m.gates.flatMap((g): Sample[] => (g.value === null ? [] : [[{ ...table, gate: g.gate }, g.value]])),
    );
    gauge('prescore_gate_limit', 'The failing threshold of each gate in the last run.', m.gates.map((g): Sample => [{ ...table, gate: g.gate }, g.limit]));
  }
  return families.map(render).join('');
}

type Sample = readonly [Readonly<Record<string, string>>, number];

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: readonly Sample[];
}

function render(f: Family): string {
  const lines = [`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} gauge`];
  for (const [labels, value] of f.samples) lines.push(`${f.name}${labelSet(labels)} ${formatValue(value)}`);
  return `${lines.join('\n')}\n`;
}

function labelSet(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${labelValue(v)}"`);
  return `{${pairs.join(',')}}`;
}

/** A label value as the exposition format quotes it: backslash, double quote and line feed escaped. */
export function labelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Go's ParseFloat spellings for the non-finite values; JS number text otherwise (it parses the same). */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function seconds(at: Date): number {
  return at.getTime() / 1000;
}
