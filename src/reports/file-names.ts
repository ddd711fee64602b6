/** The aged receivables report's file: `aged_receivables_<as-of>.<ext>`. */
export const agedFileName = (asOf: string, ext: 'xlsx' | 'pdf') => `aged_receivables_${asOf}.${ext}`;

/** The month-end pack's file: `month_end_pack_<as-of>.pdf`. */
export const packFileName = (asOf: string) => `month_end_pack_${asOf}.pdf`;
