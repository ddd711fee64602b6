import { describe, expect, it } from 'vitest';
import { parseDashboard, specProblems } from '../../src/dashboards/definition.ts';

const dashboard = (title: string, tooltip: string) => `
title: { es: Prueba, en: Test }
roles: [cfo]
panels:
  - id: forecast
    title: ${title}
    description: { es: d, en: d }
    sql: select 1 as a
    spec:
      mark: bar
      encoding:
        tooltip:
          - ${tooltip}
`;

describe('dashboard texts', () => {
  it('refuses a title a comma in a YAML flow mapping cut short, instead of dropping its end', () => {
    expect(() => parseDashboard('x', dashboard('{ es: Pronóstico de cobranza, 13 semanas, en: 13-week cash forecast }', '{ field: a, title: { es: A, en: A } }'))).toThrow(/Unrecognized key/);
    expect(parseDashboard('x', dashboard("{ es: 'Pronóstico de cobranza, 13 semanas', en: 13-week cash forecast }", '{ field: a, title: { es: A, en: A } }')).panels[0].title.es).toBe(
      'Pronóstico de cobranza, 13 semanas',
    );
  });

  it('refuses a tooltip field without a title in both languages', () => {
    expect(() => parseDashboard('x', dashboard('{ es: T, en: T }', '{ field: expected_amount, type: quantitative }'))).toThrow('spec.encoding.tooltip[0]: a tooltip field needs a title');
    expect(specProblems({ encoding: { x: { title: { es: 'a', '13 semanas': null, en: 'b' } } } })).toEqual([
      "spec.encoding.x.title: a text needs exactly 'es' and 'en' (has es, 13 semanas, en); quote a text with a comma",
    ]);
  });
});
