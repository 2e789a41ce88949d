import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { findChromium, visitPage } from '../support/chromium.js';
import { ROOT, runCli } from '../support/run-cli.js';

// Found (or installed) once per file: the report must render in the browser an on-call person opens it with.
const chromium = findChromium();
if ('reason' in chromium) {
  if (process.env.CI === 'true') throw new Error(`The report test needs Chromium under CI: ${chromium.reason}`);
  console.warn(`Skipping the Chromium report test: ${chromium.reason}`);
}
const browser = 'path' in chromium ? chromium.path : '';

/** The screenshot the README shows; `PRESCORE_UPDATE_DOCS=1` writes it there too. */
const SCREENSHOT_DIR = join(ROOT, 'out', 'report');
const fixture = (name: string): string => join(ROOT, 'fixtures', name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'prescore-report-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.skipIf(browser === '')('prescore report in headless Chromium', () => {
  it('renders the run against the previous one, requests nothing, and is screenshotted', async () => {
    const db = join(dir, 'scores.db');
    const score = (input: string) =>
      runCli(['score', '--model', fixture('models/per-column.onnx'), '--score', 'probabilities:1', '--input', fixture(input), '--id-column', 'customer_id', '--output', `sqlite:${db}`, '--table', 'customer_scores', '--max-nan-rate', '0.01']);
    expect((await score('customers.csv')).exitCode).toBe(0);
    expect((await score('customers-next.csv')).exitCode).toBe(0);
    const html = join(dir, 'report.html');
    const report = await runCli(['report', '--output', `sqlite:${db}`, '--table', 'customer_scores', '--out', html]);
    expect(report.stderr).toBe('');
    expect(report.exitCode).toBe(0);
    expect(report.stdout).toMatch(/^wrote .*report\.html: run \S+ of customer_scores \(published\), compared with run \S+\n$/);

    // Without its Content-Security-Policy the page would load whatever it names: the check sees everything it asks for.
    const page = readFileSync(html, 'utf8');
    const open = join(dir, 'report-no-csp.html');
    writeFileSync(open, page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    const png = join(SCREENSHOT_DIR, 'report.png');
    const visit = await visitPage(browser, open, png);
    expect(visit.requests).toEqual([]);
    const size = pngSize(png);
    expect(size.width).toBe(1200);
    expect(size.height).toBeGreaterThan(1500);
    if (process.env.PRESCORE_UPDATE_DOCS === '1') copyFileSync(png, join(ROOT, 'docs', 'report.png'));
  });

  it('would see a page that loads something (the check can fail)', async () => {
    const leaky = join(dir, 'leaky.html');
    writeFileSync(leaky, '<!DOCTYPE html><style>body { background: url(http://example.invalid/bg.png) }</style><img src="https://example.invalid/logo.png"><p>x</p>');
    const visit = await visitPage(browser, leaky, join(dir, 'leaky.png'));
    expect([...visit.requests].sort()).toEqual(['http://example.invalid/bg.png', 'https://example.invalid/logo.png']);
  });
});
