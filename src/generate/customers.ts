import {
  BEHAVIOUR_SHARES,
  COLLECTORS_BY_COUNTRY,
  CURRENCIES,
  CURRENCY_CODES,
  INDUSTRIES,
  LEGAL_SUFFIX,
  NAME_CORES,
  NAME_STEMS,
  PAYMENT_METHODS,
  SEGMENTS,
  type Behaviour,
  type Currency,
  type Segment,
} from './catalog.ts';
import { Prng } from './prng.ts';

/** One synthetic customer: master data as the ERP has it, plus the hidden traits that drive its ledger. */
export interface Customer {
  index: number;
  id: string;
  name: string;
  taxId: string;
  country: string;
  segment: Segment;
  industry: string;
  creditLimitCents: number;
  termsDays: number;
  collector: string;
  email: string;
  phone: string;
  sinceDay: number;
  // Hidden traits (not exported): how this customer buys and pays.
  behaviour: Behaviour;
  currency: Currency;
  /** Share of its invoices billed in USD (Mexican customers billed partly in dollars). */
  usdShare: number;
  /** Median invoice in MXN. */
  medianInvoiceMxn: number;
  /** The method it usually pays with. */
  usualMethod: string;
  /** Relative purchase volume, before allocation. */
  weight: number;
  /** Documents (invoices, credit and debit notes) it gets; sums to --invoices over all customers. */
  documents: number;
  /** The day a defaulting customer stops paying. */
  defaultDay: number | null;
}

/** The time window of the portfolio, as day numbers. */
export interface Horizon {
  start: number;
  end: number;
}

const SEGMENT_CHOICES = Object.entries(SEGMENTS).map(([s, p]) => [s as Segment, p.share] as const);
const CURRENCY_CHOICES = CURRENCY_CODES.map((c) => [c, CURRENCIES[c].share] as const);
const GOVERNMENT_BEHAVIOUR: readonly (readonly [Behaviour, number])[] = [
  ['punctual', 0.15],
  ['slow_but_sure', 0.55],
  ['erratic', 0.15],
  ['chronic_late', 0.13],
  ['defaulting', 0.02],
];

/**
 * Makes `count` customers and splits `documents` among them by purchase volume, so that the
 * per-customer counts sum to exactly `documents`.
 *
 * @example makeCustomers(42, 2000, 200_000, { start, end }).reduce((s, c) => s + c.documents, 0) === 200_000
 */
export function makeCustomers(seed: number, count: number, documents: number, horizon: Horizon): Customer[] {
  const idWidth = Math.max(5, String(count).length);
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) customers.push(makeCustomer(Prng.derive(seed, 1, i), i, idWidth, horizon));
  allocate(customers, documents);
  for (const c of customers) c.creditLimitCents = creditLimit(c, horizon);
  return customers;
}

function makeCustomer(rng: Prng, index: number, idWidth: number, horizon: Horizon): Customer {
  const segment = rng.weighted(SEGMENT_CHOICES);
  const profile = SEGMENTS[segment];
  const currency = segment === 'Gobierno' ? 'MXN' : rng.weighted(CURRENCY_CHOICES);
  const country = currency === 'USD' && rng.chance(0.3) ? 'MX' : CURRENCIES[currency].country;
  const behaviour = rng.weighted(segment === 'Gobierno' ? GOVERNMENT_BEHAVIOUR : BEHAVIOUR_SHARES);
  const size = Math.exp(rng.normal());
  const span = horizon.end - horizon.start;
  // Most customers predate the window; a quarter arrive during it, so the portfolio grows.
  const sinceDay = rng.chance(0.75) ? horizon.start - rng.int(30, 3650) : horizon.start + rng.int(0, Math.max(0, span - 60));
  const activeStart = Math.max(sinceDay, horizon.start);
  const active = Math.max(30, horizon.end - activeStart) / Math.max(30, span);
  const stem = rng.pick(NAME_STEMS);
  const core = rng.pick(NAME_CORES);
  const dollarBilled = currency === 'MXN' && segment !== 'Gobierno' && segment !== 'PyME' && rng.chance(0.25);
  const defaultDay =
    behaviour === 'defaulting' ? activeStart + Math.round((horizon.end - activeStart) * (0.35 + 0.6 * rng.next())) : null;
  return {
    index,
    id: 'C' + String(index + 1).padStart(idWidth, '0'),
    name: `${stem} ${core} ${LEGAL_SUFFIX[country]}`,
    taxId: taxId(rng, country, stem, core),
    country,
    segment,
    industry: segment === 'Gobierno' ? 'Administración pública' : rng.pick(INDUSTRIES),
    creditLimitCents: 0,
    termsDays: rng.weighted(profile.terms),
    collector: rng.pick(COLLECTORS_BY_COUNTRY[country]),
    email: `cuentasporpagar@${slug(stem)}${slug(core)}${index + 1}.${country === 'US' ? 'com' : 'com.' + country.toLowerCase()}`,
    phone: phone(rng, country),
    sinceDay,
    behaviour,
    currency,
    usdShare: dollarBilled ? 0.3 : 0,
    medianInvoiceMxn: profile.medianInvoiceMxn * Math.sqrt(size),
    usualMethod: segment === 'Gobierno' ? 'transfer' : rng.weighted(PAYMENT_METHODS),
    weight: Math.pow(size, 0.9) * active,
    documents: 0,
    defaultDay,
  };
}

/** Cumulative rounding: each customer gets floor(N * cum_i) - floor(N * cum_(i-1)), which sums to N exactly. */
function allocate(customers: Customer[], documents: number): void {
  const total = customers.reduce((s, c) => s + c.weight, 0);
  let cum = 0;
  let given = 0;
  for (const c of customers) {
    cum += c.weight;
    const upTo = c === customers[customers.length - 1] ? documents : Math.floor((documents * cum) / total);
    c.documents = upTo - given;
    given = upTo;
  }
}

/** Roughly two months of purchases, rounded as credit committees do. */
function creditLimit(c: Customer, horizon: Horizon): number {
  const months = Math.max(1, (horizon.end - Math.max(c.sinceDay, horizon.start)) / 30.4);
  const monthlyMxn = (c.documents / months) * c.medianInvoiceMxn * 1.3;
  const units = Math.max(20_000, monthlyMxn * Math.max(1.5, c.termsDays / 30 + 1)) * CURRENCIES[c.currency].perMxn;
  const step = Math.pow(10, Math.max(3, Math.floor(Math.log10(units)) - 1));
  return Math.ceil(units / step) * step * 100;
}

function taxId(rng: Prng, country: string, stem: string, core: string): string {
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  if (country === 'MX') {
    const letters = (slug(stem)[0] + slug(core).slice(0, 2)).toUpperCase();
    const alnum = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
    const yy = String(rng.int(70, 99) % 100).padStart(2, '0');
    const mm = String(rng.int(1, 12)).padStart(2, '0');
    const dd = String(rng.int(1, 28)).padStart(2, '0');
    return `${letters}${yy}${mm}${dd}${rng.pick([...alnum])}${rng.pick([...alnum])}${rng.int(0, 9)}`;
  }
  if (country === 'CO') return `${rng.int(800, 901)}${digits(6)}-${rng.int(0, 9)}`;
  if (country === 'CL') return `${rng.int(76, 96)}.${digits(3)}.${digits(3)}-${rng.pick([...'0123456789K'])}`;
  return `${digits(2)}-${digits(7)}`;
}

function phone(rng: Prng, country: string): string {
  const n = (k: number) => Array.from({ length: k }, () => rng.int(0, 9)).join('');
  if (country === 'MX') return `+52 ${rng.pick(['55', '33', '81', '442', '222'])} ${n(4)} ${n(4)}`;
  if (country === 'CO') return `+57 60${rng.int(1, 8)} ${n(3)} ${n(4)}`;
  if (country === 'CL') return `+56 2 ${n(4)} ${n(4)}`;
  return `+1 ${rng.int(201, 989)} 555 ${n(4)}`;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
