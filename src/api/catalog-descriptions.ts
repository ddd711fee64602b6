/**
 * What the relations that are not SQL models mean (macros, risk tables, the publication record),
 * for analysts browsing `/api/catalog`. Marts are described in their models' `.yml`, which wins.
 * Relations and columns not described anywhere still appear in the catalog, without a description.
 */
export interface RelationDoc {
  description: string;
  columns?: Record<string, string>;
}

export const CATALOG_DESCRIPTIONS: Record<string, RelationDoc> = {
  // Marts are described in their models' .yml (src/models/definitions.ts); these relations have none.
  aging_at: { description: 'Table macro: aging_at(as_of DATE) — open items at any date with the default buckets.' },
  aging_with: {
    description: "Table macro: aging_with(as_of DATE, basis VARCHAR ('due'|'invoice'), bounds INTEGER[]) — open items bucketed by any bounds.",
  },
  risk_scores: {
    description: "One row per open invoice at the publication's as-of: probability of paying late and why.",
    columns: {
      probability: 'probability of being paid more than the late-days rule after the due date (0-1)',
      risk_band: 'A (lowest) to E, from the probability',
      reasons: "the features that raised the probability most, as codes, most important first ('low_risk' below 10%, 'usual_risk' when none stands out)",
      reason_values: 'the value of each reason\'s feature, in the order of reasons (amounts in the reporting currency); the pages and exports put both into words in the reader\'s language',
    },
  },
  risk_cash_forecast: { description: "The model's cash forecast at the publication's as-of: expected collections per week (13 weeks, then later and never), in the reporting currency." },
  risk_models: { description: 'One row per trained risk model: training window, parameters, metrics.' },
  call_list: { description: 'One row per customer to contact, ranked: balances, risk, the reasons of its riskiest invoice (codes and values) and the suggested action.' },
  builds: { description: 'One row per publication (the newest is served): as-of, options, late-days rule, model and rows scored.' },
};
