// Building elements without HTML strings: every text a user or the hub
// supplies goes in as a text node (textContent), never through innerHTML,
// so a meter named "<script>" shows as those characters.

/* el('tr', {class: 'x', dataset: {did: 1}, on: {click: f}}, child, 'text', ...)
 * props: class, text, dataset, on (event listeners), hidden, and any other
 * name is set as a DOM property (value, checked, type, ...) or, for
 * attr-*, as an attribute.  Children: nodes, strings (text), null (skipped),
 * arrays (flattened). */
export function el(tag, props, ...children) {
	const node = document.createElement(tag);
	for (const [k, v] of Object.entries(props || {})) {
		if (v === undefined || v === null) continue;
		if (k === 'class') node.className = v;
		else if (k === 'text') node.textContent = v;
		else if (k === 'dataset') Object.assign(node.dataset, v);
		else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
		else if (k.startsWith('attr-')) node.setAttribute(k.slice(5), v);
		else node[k] = v;
	}
	append(node, children);
	return node;
}

function append(node, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false) continue;
		if (Array.isArray(c)) append(node, c);
		else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

/* Removes every child of node. */
export function clear(node) {
	node.replaceChildren();
	return node;
}

/* A message line: kind 'ok', 'error' or 'info'; role alert for errors so
 * screen readers announce it. */
export function message(kind, text) {
	return el('p', {class: 'msg msg-' + kind, text, 'attr-role': kind === 'error' ? 'alert' : 'status'});
}

/* Shows a message in the page's message area (replacing the previous one);
 * null text clears it. */
export function flash(area, kind, text) {
	clear(area);
	if (text) area.append(message(kind, text));
}
