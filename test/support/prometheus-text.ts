/**
 * A strict parser of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), with the
 * textfile collector's extra rule: no timestamps. Throws naming the line at
 * fault, so a test that parses a file proves it valid.
 */

export interface MetricFamily {
  readonly name: string;
  type: string | undefined;
  help: string | undefined;
  readonly samples: { readonly labels: Record<string, string>; readonly value: number }[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the text does not end with a line feed');
  const families = new Map<string, MetricFamily>();
  const seriesSeen = new Set<string>();
  let current: string | undefined;
  const family = (name: string, n: number): MetricFamily => {
    if (!METRIC_NAME.test(name)) throw new Error(`line ${n}: invalid metric name "${name}"`);
    let f = families.get(name);
    if (f === undefined) families.set(name, (f = { name, type: undefined, help: undefined, samples: [] }));
    return f;
  };
  text.split('\n').slice(0, -1).forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (m === null) return;
      const f = family(m[2]!, n);
      if (m[1] === 'HELP') {
        if (f.help !== undefined) throw new Error(`line ${n}: a second HELP for ${f.name}`);
        if (/\\[^\\n]/.test(m[3]!.replace(/\\\\/g, ''))) throw new Error(`line ${n}: invalid escape in HELP`);
        f.help = m[3]!;
      } else {
        if (f.type !== undefined) throw new Error(`line ${n}: a second TYPE for ${f.name}`);
        if (f.samples.length > 0) throw new Error(`line ${n}: TYPE for ${f.name} after its samples`);
        if (!TYPES.has(m[3]!)) throw new Error(`line ${n}: unknown type "${m[3]}"`);
        f.type = m[3]!;
      }
      return;
    }
    const { name, labels, rest } = splitSample(line, n);
    const f = family(name, n);
    if (current !== name && f.samples.length > 0) throw new Error(`line ${n}: samples of ${name} are not grouped together`);
    current = name;
    const parts = rest.trim().split(/\s+/);
    if (parts.length !== 1) throw new Error(`line ${n}: a timestamp or extra text after the value (the textfile collector refuses timestamps)`);
    const value = parseValue(parts[0]!, n);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seriesSeen.has(key)) throw new Error(`line ${n}: the same series twice`);
    seriesSeen.add(key);
    f.samples.push({ labels, value });
  });
  return families;
}

function splitSample(line: string, n: number): { name: string; labels: Record<string, string>; rest: string } {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  if (brace === -1 || (space !== -1 && space < brace)) return { name: line.slice(0, space), labels: {}, rest: line.slice(space) };
  const labels: Record<string, string> = {};
  let p = brace + 1;
  while (line[p] !== '}') {
    const eq = line.indexOf('=', p);
    const label = line.slice(p, eq);
    if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new Error(`line ${n}: invalid label name "${label}"`);
    if (label in labels) throw new Error(`line ${n}: label ${label} twice`);
    if (line[eq + 1] !== '"') throw new Error(`line ${n}: label value not quoted`);
    let value = '';
    p = eq + 2;
    for (;;) {
      const c = line[p];
      if (c === undefined) throw new Error(`line ${n}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const e = line[p + 1];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else throw new Error(`line ${n}: invalid escape \\${e ?? ''} in a label value`);
        p += 2;
      } else {
        value += c;
        p++;
      }
    }
    labels[label] = value;
    p++;
    if (line[p] === ',') p++;
    else if (line[p] !== '}') throw new Error(`line ${n}: expected , or } after a label`);
  }
  if (line[p + 1] !== ' ') throw new Error(`line ${n}: no space before the value`);
  return { name: line.slice(0, brace), labels, rest: line.slice(p + 1) };
}

function parseValue(text: string, n: number): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!FLOAT.test(text)) throw new Error(`line ${n}: "${text}" is not a float`);
  return Number(text);
}
