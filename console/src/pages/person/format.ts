import dayjs from 'dayjs';

/** An instant from the API, to the minute (as the other pages show times). */
export const at = (v: string | null | undefined) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

/** A date sent as epoch days (the brand's local date of an order, e.g. first_order_day). */
export const epochDay = (days: number | null | undefined) => (days == null ? '—' : dayjs('1970-01-01').add(days, 'day').format('YYYY-MM-DD'));
