// Kubernetes resource quantities in the canonical form the API server stores them in. Argo CD
// compares the strings in git with the live object, so `cpu: 1000m` in git against the stored `1`
// shows OutOfSync forever (argo-cd#21135). This mirrors apimachinery's pkg/api/resource
// (ParseQuantity, CanonicalizeBytes): values are kept exactly, in units of 10^-9, rounded up.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in nano-units (10^-9), exact. */
  nanos: bigint;
  format: QuantityFormat;
}

const QUANTITY_TEXT = /^\+?(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|([KMGTPE]i)|([numkMGTPE]))?$/;
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENTS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const NANOS_PER_UNIT = 10n ** 9n;
/** apimachinery keeps quantities in an int64 of base units. */
const MAX_NANOS = (2n ** 63n - 1n) * NANOS_PER_UNIT;
const MAX_EXPONENT = 30;

export type ParsedQuantity = { ok: true; quantity: Quantity } | { ok: false; problem: string };

export function parseQuantity(input: string | number): ParsedQuantity {
  const text = typeof input === 'number' ? String(input) : input;
  const match = QUANTITY_TEXT.exec(text);
  if (!match) return { ok: false, problem: `"${text}" is not a Kubernetes quantity (e.g. 100m, 0.5, 256Mi, 1G)` };
  const [, number, exponentPart, binarySuffix, decimalSuffix] = match;
  const [whole, fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0') * NANOS_PER_UNIT;
  let denominator = 10n ** BigInt(fraction.length);
  let format: QuantityFormat = 'DecimalSI';
  if (binarySuffix) {
    format = 'BinarySI';
    numerator *= 2n ** BigInt(BINARY_EXPONENTS[binarySuffix]);
  } else {
    const exponent = exponentPart ? Number(exponentPart.slice(1)) : DECIMAL_EXPONENTS[decimalSuffix ?? ''] ?? 0;
    if (exponentPart) format = 'DecimalExponent';
    if (Math.abs(exponent) > MAX_EXPONENT) return { ok: false, problem: `"${text}" is out of range` };
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  // Anything finer than a nano-unit rounds up, as apimachinery does ("you asked for some").
  const nanos = (numerator + denominator - 1n) / denominator;
  if (nanos > MAX_NANOS) return { ok: false, problem: `"${text}" is larger than Kubernetes can hold (2^63-1)` };
  // A binary quantity below one unit is written as a decimal one (ParseQuantity).
  if (format === 'BinarySI' && nanos > 0n && nanos < NANOS_PER_UNIT) format = 'DecimalSI';
  return { ok: true, quantity: { nanos, format } };
}

/** The string the API server writes back for this quantity. */
export function canonicalQuantity(quantity: Quantity): string {
  const { nanos } = quantity;
  if (nanos === 0n) return '0';
  const binary = quantity.format === 'BinarySI' && nanos >= 1024n * NANOS_PER_UNIT && nanos % NANOS_PER_UNIT === 0n;
  if (binary) {
    let mantissa = nanos / NANOS_PER_UNIT;
    let power = 0;
    while (mantissa % 1024n === 0n && power < BINARY_SUFFIXES.length - 1) {
      mantissa /= 1024n;
      power++;
    }
    return `${mantissa}${BINARY_SUFFIXES[power]}`;
  }
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  // The exponent goes down to a multiple of three, so no fraction is written.
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  const suffix = quantity.format === 'DecimalExponent' ? (exponent === 0 ? '' : `e${exponent}`) : DECIMAL_SUFFIXES[exponent];
  return `${mantissa}${suffix}`;
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}
