import { calibration, evaluate, liftByDecile, type CalibrationBin, type Evaluation, type LiftRow } from './metrics.ts';

/** One evaluated invoice at one month-end: the model's probability, its label and the two baselines' scores. */
export interface DecisionScores {
  as_of: string;
  probability: number;
  /** The model's raw score, before calibration. */
  raw: number;
  label: number;
  /** The customer's prior late share as of the month-end; -1 without history. */
  share: number;
  /** The customer's average days late as of the month-end; -1 without history. */
  days: number;
  /** The probability from the model trained without undated attributes; null when the model had none. */
  dated?: number | null;
}

/** The figures of one set of invoices: the model, two baselines and the raw model, the reliability table and lift by decile. */
export interface DecisionFigures {
  scorers: { name: string; evaluation: Evaluation }[];
  calibration: CalibrationBin[];
  lift: LiftRow[];
}

export interface DecisionSummary {
  /** Invoices evaluated: open at a month-end, not yet past the late line, outcome known by the data's date. */
  nEvaluated: number;
  byMonthEnd: ({ as_of: string } & DecisionFigures)[];
  pooled: DecisionFigures;
}

/**
 * Scores a set of invoices as the issue-date backtest does: the model, the prior late share
 * (the training late rate standing in for a customer with no history) and the average days late
 * (a ranking, so no Brier score).
 */
export function decisionFigures(rows: DecisionScores[], trainLateRate: number): DecisionFigures {
  const y = rows.map((r) => r.label);
  const p = rows.map((r) => r.probability);
  const share = rows.map((r) => (r.share < 0 ? trainLateRate : r.share));
  const days = rows.map((r) => r.days);
  const scorers = [
    { name: 'model (random forest)', evaluation: evaluate(p, y) },
    { name: 'baseline: prior late share', evaluation: evaluate(share, y) },
    { name: 'baseline: avg days late', evaluation: { ...evaluate(days, y), brier: NaN } },
    { name: 'model before calibration', evaluation: evaluate(rows.map((r) => r.raw), y) },
  ];
  if (rows.length && rows.every((r) => r.dated !== null && r.dated !== undefined)) {
    scorers.push({ name: 'model without undated attributes', evaluation: evaluate(rows.map((r) => r.dated as number), y) });
  }
  return {
    scorers,
    calibration: calibration(p, y),
    lift: liftByDecile(p, y),
  };
}

/** The figures per month-end (in date order) and over all month-ends pooled. */
export function summariseDecision(rows: DecisionScores[], trainLateRate: number): DecisionSummary {
  const months = [...new Set(rows.map((r) => r.as_of))].sort();
  return {
    nEvaluated: rows.length,
    byMonthEnd: months.map((as_of) => ({ as_of, ...decisionFigures(rows.filter((r) => r.as_of === as_of), trainLateRate) })),
    pooled: decisionFigures(rows, trainLateRate),
  };
}
