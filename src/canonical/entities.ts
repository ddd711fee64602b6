/**
 * The canonical receivables model: the entities exports are mapped onto, their columns, types
 * and the header names (Spanish and English) that identify each column.
 *
 * Raw tables are `raw_<entity>`: these columns, plus `extra` (JSON of unmapped source columns,
 * so nothing is lost), `batch_id`, `source_line` (the file's own line, header = line 1) and
 * `rejected` (the row failed a check: its reasons are in `ingest_rejects`, and staging skips it).
 */

export type FieldType =
  | 'id' // identifier: always text, leading zeros kept
  | 'text'
  | 'date'
  | 'timestamp'
  | 'money' // DECIMAL(22,6): as exported, up to 6 decimals (staging rounds to the currency's minor unit)
  | 'rate' // DECIMAL(18,8)
  | 'integer'
  | 'bool'
  | 'currency'; // ISO 4217 code, upper case

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** A row without it is rejected. */
  required?: boolean;
  /** Normalised header names that map to this field (see `normaliseHeader`). */
  synonyms: string[];
}

export interface EntitySpec {
  name: EntityName;
  /** Natural key: a newer export of the same key replaces the older row. */
  key: string[];
  fields: FieldSpec[];
  /** Header synonyms that, when present, strongly suggest this entity. */
  signature: string[];
}

export const ENTITY_NAMES = [
  'invoices',
  'payments',
  'customers',
  'disputes',
  'promises_to_pay',
  'collection_activities',
  'fx_rates',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

const f = (name: string, type: FieldType, synonyms: string[], required = false): FieldSpec => ({
  name,
  type,
  synonyms: [name, ...synonyms],
  required,
});

export const ENTITIES: Record<EntityName, EntitySpec> = {
  invoices: {
    name: 'invoices',
    key: ['invoice_id'],
    signature: ['invoice_id', 'invoice_date', 'due_date', 'folio', 'factura', 'vencimiento', 'invoice_amount'],
    fields: [
      f('invoice_id', 'id', ['invoice', 'invoice_number', 'invoice_no', 'invoicenumber', 'invoice_num', 'document_number', 'doc_number', 'document_no', 'folio', 'factura', 'no_factura', 'num_factura', 'numero_factura', 'folio_factura', 'documento', 'no_documento', 'num_documento', 'numero_documento', 'comprobante', 'serie_folio', 'name', 'number', 'doc_id', 'bill_number', 'id_factura']),
      f('customer_id', 'id', ['customer', 'customerid', 'customer_no', 'customer_number', 'customer_code', 'client', 'client_id', 'cliente', 'id_cliente', 'cliente_id', 'codigo_cliente', 'cod_cliente', 'clave_cliente', 'no_cliente', 'num_cliente', 'account', 'account_id', 'account_number', 'partner', 'partner_id', 'debtor', 'debtor_id', 'deudor', 'vendor_name', 'vendor', 'counterparty', 'party', 'rfc', 'nit', 'rut', 'cuit'], true),
      f('customer_name', 'text', ['customer_name', 'client_name', 'nombre_cliente', 'razon_social', 'nombre', 'cliente_nombre', 'partner_name', 'account_name', 'debtor_name']),
      f('country', 'text', ['country', 'countrycode', 'country_code', 'pais', 'codigo_pais']),
      f('invoice_date', 'date', ['invoicedate', 'date', 'issue_date', 'document_date', 'posting_date', 'bill_date', 'fecha', 'fecha_factura', 'fecha_emision', 'fecha_de_emision', 'fecha_documento', 'fecha_expedicion', 'emision', 'fecha_de_factura'], true),
      f('due_date', 'date', ['duedate', 'due', 'date_due', 'payment_due_date', 'net_due_date', 'vencimiento', 'fecha_vencimiento', 'fecha_venc', 'fecha_de_vencimiento', 'venc', 'vence', 'fecha_limite_pago']),
      f('payment_terms_days', 'integer', ['terms', 'terms_days', 'payment_terms', 'credit_days', 'dias_credito', 'plazo', 'plazo_dias', 'dias_de_credito', 'condiciones_pago']),
      f('amount', 'money', ['invoiceamount', 'invoice_amount', 'total', 'amount_total', 'total_amount', 'gross_amount', 'importe', 'importe_total', 'monto', 'monto_total', 'valor', 'valor_total', 'total_factura', 'value'], true),
      f('currency', 'currency', ['currency_code', 'curr', 'moneda', 'divisa', 'tipo_moneda', 'cod_moneda']),
      f('document_type', 'text', ['doc_type', 'type', 'document_kind', 'move_type', 'tipo', 'tipo_documento', 'tipo_de_documento', 'tipo_comprobante', 'clase_documento']),
      f('paid_date', 'date', ['settleddate', 'settled_date', 'settlement_date', 'payment_date', 'date_paid', 'paid_on', 'cleared_date', 'clearing_date', 'fecha_pago', 'fecha_de_pago', 'fecha_liquidacion', 'fecha_cobro', 'fecha_saldado']),
      f('paid_amount', 'money', ['paid', 'amount_paid', 'settled', 'settled_amount', 'payments', 'pagado', 'monto_pagado', 'importe_pagado', 'abonado', 'abonos', 'cobrado', 'importe_cobrado']),
      f('outstanding', 'money', ['balance', 'open_amount', 'amount_due', 'amount_residual', 'residual', 'remaining', 'balance_due', 'open_balance', 'saldo', 'saldo_pendiente', 'saldo_insoluto', 'pendiente', 'por_cobrar', 'adeudo']),
      f('days_to_pay', 'integer', ['daystosettle', 'days_to_settle', 'number_of_days_until_payment', 'days_until_payment', 'days_to_payment', 'dias_pago', 'dias_para_pago', 'dias_de_pago']),
      f('days_late', 'integer', ['dayslate', 'days_overdue', 'dias_atraso', 'dias_de_atraso', 'dias_vencido']),
      f('disputed', 'bool', ['dispute', 'in_dispute', 'disputa', 'en_disputa', 'disputada', 'controversia']),
      f('status', 'text', ['state', 'payment_state', 'estado', 'estatus', 'situacion']),
      f('reference', 'text', ['ref', 'related_invoice', 'applies_to', 'original_invoice', 'referencia', 'factura_relacionada', 'factura_origen', 'uuid_relacionado']),
      f('description', 'text', ['memo', 'concept', 'notes', 'descripcion', 'concepto', 'detalle', 'observaciones']),
    ],
  },
  payments: {
    name: 'payments',
    key: ['payment_id'],
    signature: ['payment_id', 'payment_date', 'pago', 'id_pago', 'fecha_pago', 'receipt'],
    fields: [
      f('payment_id', 'id', ['payment', 'payment_number', 'payment_no', 'receipt', 'receipt_id', 'receipt_number', 'pago', 'id_pago', 'folio_pago', 'no_pago', 'recibo', 'no_recibo', 'num_recibo', 'complemento']),
      f('customer_id', 'id', ['customer', 'customerid', 'customer_code', 'client', 'client_id', 'cliente', 'id_cliente', 'codigo_cliente', 'clave_cliente', 'partner_id', 'account', 'rfc', 'nit'], true),
      f('invoice_id', 'id', ['invoice', 'invoice_number', 'invoicenumber', 'applied_to', 'factura', 'folio', 'folio_factura', 'no_factura', 'documento', 'factura_aplicada']),
      f('payment_date', 'date', ['date', 'paid_on', 'receipt_date', 'value_date', 'fecha', 'fecha_pago', 'fecha_de_pago', 'fecha_cobro', 'fecha_deposito'], true),
      f('amount', 'money', ['payment_amount', 'amount_paid', 'paid', 'importe', 'monto', 'importe_pagado', 'monto_pagado', 'valor', 'abono'], true),
      f('currency', 'currency', ['currency_code', 'moneda', 'divisa']),
      f('method', 'text', ['payment_method', 'mode', 'metodo', 'metodo_pago', 'forma_pago', 'forma_de_pago', 'medio_pago']),
      f('reference', 'text', ['ref', 'referencia', 'bank_reference', 'referencia_bancaria']),
    ],
  },
  customers: {
    name: 'customers',
    key: ['customer_id'],
    signature: ['credit_limit', 'tax_id', 'segment', 'limite_credito', 'rfc', 'razon_social', 'email', 'phone'],
    fields: [
      f('customer_id', 'id', ['customer', 'customerid', 'customer_code', 'client_id', 'cliente', 'id_cliente', 'codigo_cliente', 'clave_cliente', 'no_cliente', 'account_id', 'partner_id'], true),
      f('name', 'text', ['customer_name', 'client_name', 'company', 'company_name', 'nombre', 'nombre_cliente', 'razon_social', 'denominacion']),
      f('tax_id', 'text', ['vat', 'tax_number', 'taxid', 'rfc', 'nit', 'rut', 'cuit', 'ruc', 'cif', 'id_fiscal', 'identificacion_fiscal']),
      f('country', 'text', ['country_code', 'countrycode', 'pais']),
      f('segment', 'text', ['customer_segment', 'segmento', 'canal', 'channel', 'tipo_cliente']),
      f('industry', 'text', ['sector', 'industria', 'giro', 'actividad']),
      f('credit_limit', 'money', ['limit', 'creditlimit', 'limite_credito', 'limite_de_credito', 'cupo', 'cupo_credito']),
      f('payment_terms_days', 'integer', ['terms', 'terms_days', 'payment_terms', 'credit_days', 'dias_credito', 'plazo', 'plazo_dias', 'dias_de_credito']),
      f('collector', 'text', ['collector_name', 'assigned_to', 'account_manager', 'cobrador', 'gestor', 'gestor_cobranza', 'ejecutivo', 'ejecutivo_cobranza']),
      f('email', 'text', ['e_mail', 'mail', 'correo', 'correo_electronico']),
      f('phone', 'text', ['telephone', 'phone_number', 'mobile', 'telefono', 'tel', 'celular']),
      f('customer_since', 'date', ['since', 'created', 'opened', 'fecha_alta', 'cliente_desde', 'alta']),
    ],
  },
  disputes: {
    name: 'disputes',
    key: ['dispute_id'],
    signature: ['dispute_id', 'opened_date', 'resolved_date', 'id_disputa', 'motivo'],
    fields: [
      f('dispute_id', 'id', ['dispute', 'id_disputa', 'disputa', 'folio_disputa', 'case_id']),
      f('invoice_id', 'id', ['invoice', 'invoice_number', 'factura', 'folio', 'folio_factura'], true),
      f('customer_id', 'id', ['customer', 'cliente', 'id_cliente', 'codigo_cliente']),
      f('opened_date', 'date', ['opened', 'open_date', 'date', 'fecha', 'fecha_apertura', 'fecha_alta'], true),
      f('resolved_date', 'date', ['resolved', 'closed_date', 'fecha_resolucion', 'fecha_cierre']),
      f('amount', 'money', ['disputed_amount', 'monto', 'importe', 'monto_disputado']),
      f('reason', 'text', ['motivo', 'causa', 'razon']),
      f('status', 'text', ['state', 'estado', 'estatus']),
    ],
  },
  promises_to_pay: {
    name: 'promises_to_pay',
    key: ['promise_id'],
    signature: ['promise_id', 'promised_date', 'promesa', 'fecha_compromiso', 'id_promesa'],
    fields: [
      f('promise_id', 'id', ['promise', 'id_promesa', 'promesa', 'folio_promesa']),
      f('customer_id', 'id', ['customer', 'cliente', 'id_cliente', 'codigo_cliente'], true),
      f('invoice_id', 'id', ['invoice', 'factura', 'folio', 'folio_factura']),
      f('promise_date', 'date', ['created', 'made_on', 'date', 'fecha', 'fecha_promesa', 'fecha_registro'], true),
      f('promised_date', 'date', ['promised_for', 'pay_by', 'commitment_date', 'fecha_compromiso', 'fecha_prometida', 'fecha_de_pago_prometida'], true),
      f('amount', 'money', ['promised_amount', 'monto', 'importe', 'monto_prometido'], true),
      f('status', 'text', ['state', 'estado', 'estatus', 'resultado']),
      f('collector', 'text', ['cobrador', 'gestor']),
    ],
  },
  collection_activities: {
    name: 'collection_activities',
    key: ['activity_id'],
    signature: ['activity_id', 'channel', 'outcome', 'canal', 'resultado', 'id_gestion', 'gestion'],
    fields: [
      f('activity_id', 'id', ['activity', 'id_gestion', 'gestion', 'id_actividad', 'folio_gestion']),
      f('customer_id', 'id', ['customer', 'cliente', 'id_cliente', 'codigo_cliente'], true),
      f('invoice_id', 'id', ['invoice', 'factura', 'folio', 'folio_factura']),
      f('activity_date', 'date', ['date', 'contact_date', 'fecha', 'fecha_gestion', 'fecha_contacto'], true),
      f('channel', 'text', ['type', 'activity_type', 'canal', 'medio', 'tipo_gestion'], true),
      f('outcome', 'text', ['result', 'resultado', 'desenlace']),
      f('collector', 'text', ['agent', 'user', 'cobrador', 'gestor', 'ejecutivo']),
      f('notes', 'text', ['note', 'comment', 'comments', 'notas', 'comentario', 'comentarios', 'observaciones']),
    ],
  },
  fx_rates: {
    name: 'fx_rates',
    key: ['rate_date', 'currency'],
    signature: ['rate', 'exchange_rate', 'tipo_cambio', 'base_currency'],
    fields: [
      f('rate_date', 'date', ['date', 'fecha', 'fecha_tipo_cambio'], true),
      f('currency', 'currency', ['currency_code', 'moneda', 'divisa', 'from_currency'], true),
      f('rate', 'rate', ['exchange_rate', 'fx_rate', 'tipo_cambio', 'tasa', 'tasa_cambio', 'valor'], true),
      f('base_currency', 'currency', ['to_currency', 'base', 'moneda_base']),
    ],
  },
};

/**
 * DuckDB type of each canonical field type. Money is DECIMAL, never a float: raw tables keep it as
 * exported, up to 6 decimals (CFDI and many ERPs write more than cents) and 16 digits before the mark.
 */
export const SQL_TYPE: Record<FieldType, string> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  money: 'DECIMAL(22,6)',
  rate: 'DECIMAL(18,8)',
  integer: 'INTEGER',
  bool: 'BOOLEAN',
  currency: 'VARCHAR',
};

/** Accepted values of `raw_invoices.document_type`. */
export const DOCUMENT_TYPES = ['invoice', 'credit_note', 'debit_note'] as const;

/**
 * Lower-cases, strips accents and punctuation, and splits camelCase, so that
 * "Fecha de Emisión", "fecha_emision" and "FechaEmision" compare equal-ish.
 *
 * @example normaliseHeader('InvoiceDate') === 'invoice_date'; normaliseHeader('Fecha Venc.') === 'fecha_venc'
 */
export function normaliseHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\bn(?:[º°]|o\.)\s*/g, 'no_')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** DDL of `raw_<entity>`: canonical columns, then `extra`, `batch_id`, `source_line`, `rejected`. */
export function rawTableDdl(entity: EntitySpec): string {
  const cols = entity.fields.map((fl) => `  ${fl.name} ${SQL_TYPE[fl.type]}`);
  cols.push('  extra JSON', '  batch_id BIGINT NOT NULL', '  source_line BIGINT NOT NULL', '  rejected BOOLEAN NOT NULL DEFAULT false');
  return `create table if not exists raw_${entity.name} (\n${cols.join(',\n')}\n)`;
}

/** Bookkeeping tables of ingestion. */
export const INGEST_DDL = [
  `create sequence if not exists ingest_batch_seq start 1`,
  `create table if not exists ingest_batches (
    batch_id BIGINT PRIMARY KEY,
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    profile VARCHAR,
    format VARCHAR,
    mapping JSON,
    rows BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    started TIMESTAMP NOT NULL,
    finished TIMESTAMP
  )`,
  // The files whose rows a batch gathered from many (CFDIs: a stage per entity, not per file), so a
  // file loaded before is skipped like any other.
  `create table if not exists ingest_files (
    batch_id BIGINT NOT NULL,
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL
  )`,
  `create table if not exists ingest_rejects (
    batch_id BIGINT NOT NULL,
    file VARCHAR NOT NULL,
    line BIGINT,
    column_name VARCHAR,
    value VARCHAR,
    reason VARCHAR NOT NULL,
    severity VARCHAR NOT NULL DEFAULT 'error'
  )`,
];
