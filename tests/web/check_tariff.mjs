// tariff.js's rule (docs/CONFIG.md, "Time-of-use tariff"), table-driven:
// the period covering a moment in the hub's zone, start included, end
// not, 24:00 the end of the day, gaps at the flat price, days by the
// zone's calendar (not UTC's).  node check_tariff.mjs SOURCE_DIR
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

const {priceAt, hasPrice} = await import(pathToFileURL(join(process.argv[2], 'webcgi/www/js/tariff.js')));
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
const london = {timezone: 'Europe/London', price_per_kwh: 0.25, tou: [
	{days: weekdays, start: '07:00', end: '23:00', price_per_kwh: 0.30},
	{days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:30', end: '04:30', price_per_kwh: 0.09},
	{days: ['sat'], start: '23:00', end: '24:00', price_per_kwh: 0.05},
]};
const rows = [
	// [what, interface, UTC instant, price]
	['a weekday day rate (winter: London is UTC)', london, '2026-12-01T12:00:00Z', 0.30],
	['start included', london, '2026-12-01T07:00:00Z', 0.30],
	['end not included: the gap after it is flat', london, '2026-12-01T23:00:00Z', 0.25],
	['a gap is the flat price', london, '2026-12-01T05:00:00Z', 0.25],
	['the night rate every day', london, '2026-12-06T01:00:00Z', 0.09],
	['a weekend day has no day rate', london, '2026-12-05T12:00:00Z', 0.25],
	['24:00 ends the day: 23:59 on Saturday', london, '2026-12-05T23:59:00Z', 0.05],
	['summer: 06:30 UTC is 07:30 in London (BST)', london, '2026-07-01T06:30:00Z', 0.30],
	['summer: 22:30 UTC is 23:30 in London, the gap', london, '2026-07-01T22:30:00Z', 0.25],
	['the zone\'s day, not UTC\'s: Friday 23:30 UTC is Saturday 08:30 in Tokyo',
		{timezone: 'Asia/Tokyo', price_per_kwh: 1, tou: [{days: ['sat'], start: '08:00', end: '09:00', price_per_kwh: 2}]},
		'2026-12-04T23:30:00Z', 2],
	['no periods: the flat price', {timezone: 'UTC', price_per_kwh: 0.2}, '2026-12-01T12:00:00Z', 0.2],
	['an empty list: the flat price', {timezone: 'UTC', price_per_kwh: 0.2, tou: []}, '2026-12-01T12:00:00Z', 0.2],
];
for (const [what, iface, at, want] of rows) assert.equal(priceAt(iface, new Date(at)), want, what);
assert.equal(hasPrice({price_per_kwh: 0, tou: [{price_per_kwh: 0.1}]}), true, 'a period price is a price');
assert.equal(hasPrice({price_per_kwh: 0, tou: []}), false, 'no price at all');
console.log(`ok: ${rows.length} tariff rows`);

