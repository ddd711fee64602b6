/**
 * Number and time formats for charts, in the shape Vega's `locale` option takes (d3-format and
 * d3-time-format definitions). Kept here, not fetched: rendering never touches the network.
 */
export interface VegaLocale {
  number: { decimal: string; thousands: string; grouping: number[]; currency: [string, string] };
  time: {
    dateTime: string;
    date: string;
    time: string;
    periods: [string, string];
    days: string[];
    shortDays: string[];
    months: string[];
    shortMonths: string[];
  };
}

const ES: VegaLocale = {
  number: { decimal: ',', thousands: '.', grouping: [3], currency: ['', '\u00a0€'] },
  time: {
    dateTime: '%A, %e de %B de %Y, %X',
    date: '%d/%m/%Y',
    time: '%H:%M:%S',
    periods: ['AM', 'PM'],
    days: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
    shortDays: ['dom', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb'],
    months: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
    shortMonths: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  },
};

const EN: VegaLocale = {
  number: { decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''] },
  time: {
    dateTime: '%x, %X',
    date: '%-m/%-d/%Y',
    time: '%-I:%M:%S %p',
    periods: ['AM', 'PM'],
    days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    shortDays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    shortMonths: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  },
};

const BY_LANGUAGE: Record<string, VegaLocale> = { es: ES, en: EN };

/** The locales charts can be drawn in, by BCP 47 tag. */
export const SUPPORTED_LOCALES = ['es-ES', 'en-US'] as const;

/**
 * The chart locale for a BCP 47 tag, matched on its language ('es-MX' draws like 'es-ES');
 * undefined for a language we have no formats for.
 */
export function vegaLocale(tag: string): VegaLocale | undefined {
  return BY_LANGUAGE[tag.toLowerCase().split(/[-_]/)[0]];
}
