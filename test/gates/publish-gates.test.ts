import { describe, expect, it } from 'vitest';

import { DEFAULT_GATE_THRESHOLDS, GATES, evaluateGates, psi, resolveGateThresholds, type GateInput, type GateResult } from '../../src/gates/index.js';
import { PrescoreError } from '../../src/errors/index.js';

const TENTHS = new Array<number>(10).fill(0.1);
const base: GateInput = {
  mode: 'replace',
  rowsScored: 1000,
  nonFinite: 0,
  baseline: { runId: 'r1', rowsScored: 1000, shares: TENTHS },
  sharesOnBaseline: TENTHS,
};

function gate(name: GateResult['gate'], input: Partial<GateInput>, thresholds = DEFAULT_GATE_THRESHOLDS): GateResult {
  return evaluateGates({ ...base, ...input }, thresholds).find((g) => g.gate === name)!;
}

describe('evaluateGates', () => {
  it('runs every gate, in order, and passes an unchanged run', () => {
    const results = evaluateGates(base, DEFAULT_GATE_THRESHOLDS);
    expect(results.map((g) => g.gate)).toEqual([...GATES]);
    expect(results.map((g) => g.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('min-rows: fails below the minimum, with the numbers', () => {
    expect(gate('min-rows', { rowsScored: 0 })).toMatchObject({ status: 'fail', value: 0, limit: 1, detail: '0 rows scored, fewer than --min-rows 1' });
    expect(gate('min-rows', { rowsScored: 999 }, { ...DEFAULT_GATE_THRESHOLDS, minRows: 1000 }).status).toBe('fail');
    expect(gate('min-rows', { rowsScored: 1000 }, { ...DEFAULT_GATE_THRESHOLDS, minRows: 1000 }).status).toBe('pass');
  });

  it('nan-rate: any NaN or infinite score fails by default; a rate at the limit passes', () => {
    expect(gate('nan-rate', { nonFinite: 1 })).toMatchObject({
      status: 'fail',
      value: 0.001,
      limit: 0,
      detail: '1 of 1,000 scores are NaN or infinite (0.10%), above --max-nan-rate 0',
    });
    expect(gate('nan-rate', { nonFinite: 10 }, { ...DEFAULT_GATE_THRESHOLDS, maxNanRate: 0.01 }).status).toBe('pass');
    expect(gate('nan-rate', { nonFinite: 11 }, { ...DEFAULT_GATE_THRESHOLDS, maxNanRate: 0.01 }).status).toBe('fail');
  });

  it('row-change: fails beyond ±10% of the previous run, either way', () => {
    expect(gate('row-change', { rowsScored: 1100 }).status).toBe('pass');
    expect(gate('row-change', { rowsScored: 900 }).status).toBe('pass');
    const grown = gate('row-change', { rowsScored: 1101 });
    expect(grown).toMatchObject({ status: 'fail', limit: 0.1 });
    expect(grown.value).toBeCloseTo(0.101, 12);
    expect(grown.detail).toBe('1,101 rows scored against 1,000 in run r1 (+10.10%), beyond --max-row-change 0.1 (±10.00%)');
    expect(gate('row-change', { rowsScored: 500 }).status).toBe('fail');
  });

  it('psi: warns at 0.1, fails at 0.25, against the previous run’s decile bins', () => {
    const shifted = (x: number): number[] => [0.1 + x, ...new Array<number>(8).fill(0.1), 0.1 - x];
    const mild = gate('psi', { sharesOnBaseline: shifted(0.02) });
    expect(mild.status).toBe('pass');
    const moderate = gate('psi', { sharesOnBaseline: shifted(0.07) });
    expect(moderate.value).toBeGreaterThanOrEqual(0.1);
    expect(moderate).toMatchObject({ status: 'warn', warnAt: 0.1, limit: 0.25 });
    const major = gate('psi', { sharesOnBaseline: shifted(0.09) });
    expect(major.value).toBeGreaterThanOrEqual(0.25);
    expect(major.status).toBe('fail');
    expect(major.detail).toMatch(/^score PSI 0\.\d{3} against run r1 over 10 decile bins, at or above --psi-fail 0\.25$/);
  });

  it('skips the comparisons, saying why, for a first run, an upsert, or a baseline without deciles', () => {
    for (const input of [{ baseline: null }, { mode: 'upsert' as const }, { baseline: { runId: 'old', rowsScored: null, shares: null } }]) {
      for (const name of ['row-change', 'psi'] as const) {
        const result = gate(name, input);
        expect(result.status).toBe('skipped');
        expect(result.value).toBeNull();
        expect(result.detail.length).toBeGreaterThan(10);
      }
    }
    expect(gate('psi', { sharesOnBaseline: null }).detail).toBe('this run has no finite scores');
  });
});

describe('psi', () => {
  it('is 0 for identical shares and matches the formula otherwise', () => {
    expect(psi(TENTHS, TENTHS)).toBe(0);
    expect(psi([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(-0.25 * Math.log(0.5) + 0.25 * Math.log(1.5), 12);
  });

  it('stays finite when a bin is empty', () => {
    expect(Number.isFinite(psi([0.5, 0.5], [1, 0]))).toBe(true);
    expect(() => psi([1], [0.5, 0.5])).toThrow();
  });
});

describe('resolveGateThresholds', () => {
  it('fills the documented defaults', () => {
    expect(resolveGateThresholds({ psiWarn: undefined })).toEqual({ minRows: 1, maxNanRate: 0, maxRowChange: 0.1, psiWarn: 0.1, psiFail: 0.25 });
    expect(resolveGateThresholds({ maxRowChange: 0.5 }).maxRowChange).toBe(0.5);
  });

  it('refuses a warning level above the failing one with USAGE_INVALID_OPTION', () => {
    let error: unknown;
    try {
      resolveGateThresholds({ psiWarn: 0.3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PrescoreError);
    expect(error).toMatchObject({ code: 'USAGE_INVALID_OPTION', exitCode: 2 });
    expect((error as Error).message).toContain('--psi-warn (0.3) must not be above --psi-fail (0.25)');
  });
});
