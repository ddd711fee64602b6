/**
 * Exact decimal strings as CFDI writes them ("2157.06", "17.4731470231"): checked, and divided
 * through BigInt so no amount ever passes through a float.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Whether a text is a plain decimal as the SAT's schemas allow (no exponent, no grouping). */
export function isDecimal(v: string): boolean {
  return DECIMAL.test(v);
}

function split(v: string): { m: bigint; s: number } {
  const neg = v.startsWith('-');
  const [i, f = ''] = (neg ? v.slice(1) : v).split('.');
  const m = BigInt(i + f);
  return { m: neg ? -m : m, s: f.length };
}

/**
 * a / b rounded half away from zero to `scale` decimals.
 * @example divideDecimal('2157.06', '17.4731470231', 6) // '123.450000'
 */
export function divideDecimal(a: string, b: string, scale = 6): string {
  if (!isDecimal(a) || !isDecimal(b)) throw new Error(`not a decimal: ${isDecimal(a) ? b : a}`);
  const x = split(a);
  const y = split(b);
  if (y.m === 0n) throw new Error('division by zero');
  // a/b = (x.m / 10^x.s) / (y.m / 10^y.s) = x.m * 10^y.s / (y.m * 10^x.s)
  let num = x.m * 10n ** BigInt(y.s + scale);
  let den = y.m * 10n ** BigInt(x.s);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  const digits = q.toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg && q !== 0n ? `-${body}` : body;
}

/** a * b exactly (scales add). */
export function multiplyDecimal(a: string, b: string): string {
  const x = split(a);
  const y = split(b);
  const p = x.m * y.m;
  const s = x.s + y.s;
  const neg = p < 0n;
  const digits = (neg ? -p : p).toString().padStart(s + 1, '0');
  const body = s === 0 ? digits : `${digits.slice(0, -s)}.${digits.slice(-s)}`;
  return neg ? `-${body}` : body;
}
