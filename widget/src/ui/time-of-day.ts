// How a message's time of day is written: the options of every time formatter, the
// page's (time-format.ts) and the one its worker warms the date data with.
export const TIME_OF_DAY: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
