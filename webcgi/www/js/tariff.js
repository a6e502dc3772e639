// What energy costs at a moment (docs/CONFIG.md, "Time-of-use tariff"):
// the moment in interface.timezone gives a weekday and a minute of the
// day; the period of interface.tou covering them (at most one: the config
// refuses overlaps) sets the price, a moment none covers costs the flat
// interface.price_per_kwh.  Prices are in interface.currency per kWh.

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/* "HH:MM" -> minutes after midnight ("24:00" -> 1440). */
function minutes(hhmm) {
	const [h, m] = String(hhmm).split(':').map(Number);
	return h * 60 + m;
}

/* The weekday ('mon'..'sun') and minute of the day of date in tz. */
export function localMinute(date, tz) {
	const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {timeZone: tz, weekday: 'short', hour: '2-digit',
		minute: '2-digit', hourCycle: 'h23'}).formatToParts(date).map((p) => [p.type, p.value]));
	return {day: parts.weekday.toLowerCase().slice(0, 3), minute: Number(parts.hour) * 60 + Number(parts.minute)};
}

/* The price per kWh at date under iface (interface's price_per_kwh, tou,
 * timezone). */
export function priceAt(iface, date) {
	const tou = Array.isArray(iface.tou) ? iface.tou : [];
	if (tou.length) {
		const {day, minute} = localMinute(date, iface.timezone || 'UTC');
		for (const p of tou) {
			const days = p.days || DAYS;
			if (days.includes(day) && minute >= minutes(p.start ?? '00:00') && minute < minutes(p.end ?? '24:00')) return p.price_per_kwh;
		}
	}
	return iface.price_per_kwh;
}

/* Whether any price is set at all (flat or a period's). */
export function hasPrice(iface) {
	return iface.price_per_kwh > 0 || (Array.isArray(iface.tou) && iface.tou.some((p) => p.price_per_kwh > 0));
}
