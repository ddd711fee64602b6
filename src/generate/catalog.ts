/**
 * The fixed vocabulary of the synthetic portfolio: who the customers are, how they pay, and the
 * words collectors and ERPs use. Shares are rough figures of a Latin American B2B portfolio.
 * Every text here must be representable in windows-1252 (the Spanish exports' encoding).
 */

export type Behaviour = 'punctual' | 'slow_but_sure' | 'erratic' | 'chronic_late' | 'defaulting';

export const BEHAVIOUR_SHARES: readonly (readonly [Behaviour, number])[] = [
  ['punctual', 0.35],
  ['slow_but_sure', 0.3],
  ['erratic', 0.15],
  ['chronic_late', 0.13],
  ['defaulting', 0.07],
];

export type Segment = 'Corporativo' | 'PyME' | 'Gobierno' | 'Distribuidor';

export interface SegmentProfile {
  share: number;
  /** Median invoice in MXN for a customer of typical size. */
  medianInvoiceMxn: number;
  /** Payment terms offered to the segment, with weights. */
  terms: readonly (readonly [number, number])[];
}

export const SEGMENTS: Record<Segment, SegmentProfile> = {
  Corporativo: { share: 0.2, medianInvoiceMxn: 48_000, terms: [[30, 2], [45, 3], [60, 3], [90, 2]] },
  PyME: { share: 0.45, medianInvoiceMxn: 7_500, terms: [[15, 3], [30, 5], [45, 1]] },
  Gobierno: { share: 0.1, medianInvoiceMxn: 65_000, terms: [[30, 1], [60, 3], [90, 4]] },
  Distribuidor: { share: 0.25, medianInvoiceMxn: 21_000, terms: [[15, 1], [30, 4], [45, 3], [60, 2]] },
};

export const INDUSTRIES = [
  'Construcción',
  'Manufactura',
  'Comercio al por mayor',
  'Comercio minorista',
  'Alimentos y bebidas',
  'Logística y transporte',
  'Salud',
  'Educación',
  'Tecnología',
  'Energía',
  'Agroindustria',
  'Automotriz',
] as const;

/**
 * The collection team, by the country of the customers it chases: five for Mexico, one each for
 * Colombia, Chile and the United States. Each customer is in exactly one collector's portfolio.
 */
export const COLLECTORS_BY_COUNTRY: Record<string, readonly string[]> = {
  MX: ['Ana Martínez', 'Carlos Hernández', 'Lucía Gómez', 'Jorge Ramírez', 'Sofía Pérez'],
  CO: ['Valentina Rojas'],
  CL: ['Andrés Castillo'],
  US: ['Miguel Ángel Torres'],
};

export type Currency = 'MXN' | 'USD' | 'COP' | 'CLP';

export interface CurrencyProfile {
  /** Share of customers billed mainly in it. */
  share: number;
  country: string;
  /** Approximate units per 1 MXN, to size invoices; the FX file has the daily series. */
  perMxn: number;
  /** Invoiced in whole units (no cents), as Chilean pesos are. */
  wholeUnits: boolean;
  /** Approximate units of USD per 1 unit at the start of the series. */
  usdRate: number;
}

export const CURRENCIES: Record<Currency, CurrencyProfile> = {
  MXN: { share: 0.6, country: 'MX', perMxn: 1, wholeUnits: false, usdRate: 0.0545 },
  USD: { share: 0.18, country: 'US', perMxn: 0.0545, wholeUnits: false, usdRate: 1 },
  COP: { share: 0.13, country: 'CO', perMxn: 225, wholeUnits: false, usdRate: 0.000245 },
  CLP: { share: 0.09, country: 'CL', perMxn: 51, wholeUnits: true, usdRate: 0.00106 },
};

export const CURRENCY_CODES = Object.keys(CURRENCIES) as Currency[];

/** Sales by calendar month (January first): a slow start of year and a strong close. */
export const MONTH_WEIGHTS = [0.78, 0.85, 1.0, 0.95, 1.02, 1.05, 0.92, 0.96, 1.04, 1.1, 1.18, 1.25] as const;

export const NAME_STEMS = [
  'Aceros', 'Agrícola', 'Alimentos', 'Comercializadora', 'Constructora', 'Distribuidora', 'Farmacéutica',
  'Grupo', 'Industrias', 'Logística', 'Maquinaria', 'Servicios', 'Suministros', 'Tecnología', 'Transportes',
  'Laboratorios', 'Ferretería', 'Papelería', 'Inmobiliaria', 'Consultores',
] as const;

export const NAME_CORES = [
  'Álvarez', 'Peñasco', 'del Bajío', 'del Norte', 'Pacífico', 'Sierra Madre', 'Andina', 'Los Ángeles', 'Monterrey',
  'Valle Real', 'Cóndor', 'Río Bravo', 'Santa Fe', 'Montaña', 'Orión', 'Ibérica', 'Núñez', 'Hermanos Ortiz',
  'Castañeda', 'Médica Integral', 'Atlántico', 'Volcán', 'Bahía', 'Solís', 'Patagonia', 'Cordillera', 'Altiplano',
  'Quintero', 'Jiménez', 'Bogotá', 'Antioquia', 'Maipo', 'Tarapacá', 'Yucatán', 'Querétaro', 'Jalisco',
] as const;

export const LEGAL_SUFFIX: Record<string, string> = {
  MX: 'S.A. de C.V.',
  US: 'Inc.',
  CO: 'S.A.S.',
  CL: 'SpA',
};

export const INVOICE_CONCEPTS = [
  'Servicio de instalación',
  'Venta de mercancía',
  'Mantenimiento preventivo',
  'Suministro de materiales',
  'Consultoría técnica',
  'Renta de equipo',
  'Licencia de software',
  'Flete y maniobras',
  'Refacciones y accesorios',
  'Capacitación de personal',
] as const;

export const CREDIT_CONCEPTS = [
  'Devolución de mercancía',
  'Bonificación por volumen',
  'Descuento comercial',
  'Ajuste de precio',
  'Corrección de facturación',
] as const;

export const DEBIT_CONCEPTS = ['Intereses moratorios', 'Gastos de cobranza', 'Ajuste por tipo de cambio'] as const;

export const DISPUTE_REASONS = [
  'Precio incorrecto',
  'Mercancía dañada',
  'Entrega incompleta',
  'Factura duplicada',
  'Servicio no prestado',
  'Diferencia en cantidades',
] as const;

export type Channel = 'call' | 'email' | 'visit' | 'letter';

export const CHANNELS: readonly (readonly [Channel, number])[] = [
  ['email', 0.42],
  ['call', 0.4],
  ['letter', 0.1],
  ['visit', 0.08],
];

/** A note a collector would type for each outcome. */
export const OUTCOME_NOTES: Record<string, readonly string[]> = {
  no_answer: ['Sin respuesta del cliente', 'No contestó; se reintentará', 'Correo sin acuse de recibo'],
  left_message: ['Se dejó mensaje con la asistente', 'Mensaje de voz en el área de pagos', 'Se dejó recado en recepción'],
  promise: ['Cliente se compromete a pagar', 'Tesorería confirma fecha de pago', 'Promete depósito por transferencia'],
  refused: ['Cliente no reconoce el adeudo', 'Indica que no tiene flujo este mes', 'Solicita esperar revisión interna'],
  paid: ['Cliente envió comprobante de pago', 'Pago confirmado por tesorería'],
  sent: ['Se envió estado de cuenta', 'Se envió recordatorio de vencimiento', 'Carta de requerimiento entregada'],
};

export const PAYMENT_METHODS: readonly (readonly [string, number])[] = [
  ['transfer', 0.74],
  ['check', 0.14],
  ['card', 0.08],
  ['cash', 0.04],
];

/** Spanish names of payment methods as a Mexican ERP prints them. */
export const PAYMENT_METHOD_ES: Record<string, string> = {
  transfer: 'Transferencia',
  check: 'Cheque',
  card: 'Tarjeta',
  cash: 'Efectivo',
  write_off: 'Castigo',
};

export const DOC_TYPE_ES = { invoice: 'Factura', credit_note: 'Nota de crédito', debit_note: 'Nota de cargo' } as const;

export const STATUS_ES = { open: 'Pendiente', paid: 'Pagada', written_off: 'Castigada', legal: 'Jurídico' } as const;
