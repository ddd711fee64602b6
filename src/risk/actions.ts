/** Collection stages a call-list row can suggest, with the labels collectors read. */
export const ACTIONS: Record<string, { es: string; en: string }> = {
  friendly_reminder: { es: 'Recordatorio amable antes del vencimiento', en: 'Friendly reminder before due date' },
  call: { es: 'Llamar', en: 'Call' },
  formal_notice: { es: 'Aviso formal de cobro', en: 'Formal notice' },
  escalation: { es: 'Escalar', en: 'Escalate' },
  legal: { es: 'Cobranza legal', en: 'Legal action' },
  resolve_dispute: { es: 'Resolver disputa', en: 'Resolve dispute' },
};
