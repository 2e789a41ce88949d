/**
 * The report's whole style sheet, inlined: system fonts only (a web font
 * would be a request), print-friendly, readable at 1200 px and on a phone.
 */
export const REPORT_CSS = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --panel: #f6f7f9; --blue: #3f6fb5; --orange: #e07b00;
  --ok: #1f7a3f; --ok-bg: #e3f4e8; --warn: #8a5a00; --warn-bg: #fff1d6; --bad: #a32020; --bad-bg: #fbe3e3; --skip: #5b6475; --skip-bg: #eceef2; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.sub { color: var(--muted); margin: 0 0 16px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 20px; font-weight: 600; margin-top: 2px; }
.card .note { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: var(--panel); }
td code { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.drifted td { background: var(--warn-bg); }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.pill.pass, .pill.published { color: var(--ok); background: var(--ok-bg); }
.pill.warn, .pill.forced { color: var(--warn); background: var(--warn-bg); }
.pill.fail, .pill.failed, .pill.refused { color: var(--bad); background: var(--bad-bg); }
.pill.skipped, .pill.superseded, .pill.rolled_back, .pill.running { color: var(--skip); background: var(--skip-bg); }
.status { font-size: 14px; vertical-align: middle; margin-left: 8px; }
.banner { border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.banner.bad { background: var(--bad-bg); color: var(--bad); }
.banner.warn { background: var(--warn-bg); color: var(--warn); }
.flex { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.histogram .bar { fill: var(--blue); opacity: .85; }
.histogram .previous { fill: none; stroke: var(--orange); stroke-width: 2; }
.histogram .grid { stroke: var(--line); stroke-width: 1; }
.histogram .tick { fill: var(--muted); font-size: 11px; font-family: system-ui, sans-serif; }
.timebar { display: flex; height: 14px; border-radius: 3px; overflow: hidden; margin: 6px 0 10px; background: var(--panel); }
.timebar span { display: block; height: 100%; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.muted { color: var(--muted); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
`;
