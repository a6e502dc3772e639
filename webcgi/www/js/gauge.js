// A dial for the displays: a half-circle SVG arc filled in proportion to
// value between min and max, built with DOM calls only (no HTML strings).

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
	const node = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
	return node;
}

/* The point at fraction f (0..1) of the half circle of radius r about (cx, cy). */
function at(f, cx, cy, r) {
	const a = Math.PI * (1 - f);
	return [cx + r * Math.cos(a), cy - r * Math.sin(a)];
}

function arc(f, cx, cy, r) {
	const [x0, y0] = at(0, cx, cy, r);
	const [x1, y1] = at(Math.max(0.0001, f), cx, cy, r);
	return `M ${x0} ${y0} A ${r} ${r} 0 0 1 ${x1} ${y1}`;
}

/* gauge(parent) -> {set(value, min, max, label)}: draws into parent. */
export function gauge(parent) {
	const root = svg('svg', {viewBox: '0 0 200 112', class: 'dial', role: 'img'});
	const track = svg('path', {d: arc(1, 100, 100, 80), class: 'dial-track'});
	const fill = svg('path', {d: arc(0, 100, 100, 80), class: 'dial-fill'});
	const lo = svg('text', {x: 20, y: 110, class: 'dial-scale', 'text-anchor': 'middle'});
	const hi = svg('text', {x: 180, y: 110, class: 'dial-scale', 'text-anchor': 'middle'});
	root.append(track, fill, lo, hi);
	parent.replaceChildren(root);
	return {
		set(value, min, max, labels) {
			const f = Number.isFinite(value) && max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 0;
			fill.setAttribute('d', arc(f, 100, 100, 80));
			lo.textContent = labels[0];
			hi.textContent = labels[1];
			root.setAttribute('aria-label', labels[2] ?? '');
		},
	};
}
