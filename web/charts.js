// charts.js — small inline-SVG charts, drawn here (no library): bars of
// scores against a target line, columns for the grade distribution, and a
// line over cycles.  Each chart is an <svg role="img"> with a title and a
// description, and its numbers as text, so it reads without colour too.

import { s, isNum } from './dom.js';

function svg(w, hgt, label, cls) {
	return s('svg', {
		viewBox: `0 0 ${w} ${hgt}`, class: ['chart', cls], role: 'img',
		'aria-label': label, preserveAspectRatio: 'xMidYMid meet',
	}, s('title', { text: label }));
}

/** A score's colour class: met, near, low, poor. */
export function band(score) {
	if (!isNum(score)) return 'none';
	if (score >= 100) return 'met';
	if (score >= 80) return 'near';
	if (score >= 60) return 'low';
	return 'poor';
}

/* About how wide a character is at font size px: Chinese, Japanese,
   Korean and full-width forms a whole em, others some 0.62 em (no canvas
   to measure with: an estimate on the safe side). */
const wide = c => /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c);
function textWidth(text, px) {
	let w = 0;
	for (const c of String(text)) w += wide(c) ? px : px * 0.62;
	return w;
}

/** text cut with "…" to at most `room` px wide at font size px. */
function fit(text, room, px) {
	const t = String(text);
	if (textWidth(t, px) <= room) return t;
	let out = '', w = textWidth('…', px);
	for (const c of t) {
		const cw = wide(c) ? px : px * 0.62;
		if (w + cw > room) break;
		out += c;
		w += cw;
	}
	return out + '…';
}

/**
 * Horizontal bars, one per indicator: the bar is the score (100 = the
 * target met), a dashed line marks the target.
 * rows: [{label, score, note}] — note is the "actual / target" text.
 */
export function scoreBars(rows, { label, targetLabel, width }) {
	const W = Math.max(280, Math.round(width || 640));
	// narrow: the label on its own line above the bar; wide: beside it
	const stacked = W < 520;
	const right = 60, top = 22;
	const left = stacked ? 4 : Math.min(190, Math.round(W * 0.28));
	const rowH = stacked ? 62 : 46;
	const barY = stacked ? 20 : 4;
	const H = top + rows.length * rowH + 8;
	const max = Math.max(120, ...rows.map(r => (isNum(r.score) ? r.score : 0)));
	const x = v => left + (Math.max(0, v) / max) * (W - left - right);
	const g = svg(W, H, label, 'bars');
	const tx = x(100);
	g.appendChild(s('text', { x: tx, y: 14, 'text-anchor': 'middle', class: 'axis', text: targetLabel }));
	rows.forEach((r, i) => {
		const y = top + i * rowH;
		const name = stacked ? fit(r.label, W - left - 4, 13) : fit(r.label, left - 14, 13);
		g.appendChild(s('text', stacked
			? { x: left, y: y + 13, class: 'label', text: name }
			: { x: left - 10, y: y + 17, 'text-anchor': 'end', class: 'label', text: name },
		s('title', { text: r.label })));
		g.appendChild(s('rect', { x: left, y: y + barY, width: W - left - right, height: 18, rx: 3, class: 'track' }));
		if (isNum(r.score))
			g.appendChild(s('rect', { x: left, y: y + barY, width: Math.max(2, x(r.score) - left), height: 18, rx: 3, class: `bar ${band(r.score)}` }));
		g.appendChild(s('text', { x: W - right + 8, y: y + barY + 14, class: 'value', text: isNum(r.score) ? r.score.toFixed(2) : '–' }));
		if (r.note) g.appendChild(s('text', { x: left, y: y + barY + 34, class: 'note', text: fit(r.note, W - left - 4, 11) }));
	});
	g.appendChild(s('line', { x1: tx, x2: tx, y1: top - 2, y2: H - 6, class: 'target' }));
	return g;
}

/** Vertical columns: [{label, value}] (the grade distribution). */
export function columns(items, { label, width }) {
	const W = Math.max(260, Math.round(width || 360)), H = 210, top = 24, bottom = 30, pad = 16;
	const max = Math.max(1, ...items.map(i => i.value || 0));
	const n = Math.max(1, items.length);
	const slot = (W - 2 * pad) / n;
	const bw = Math.min(48, slot * 0.6);
	const g = svg(W, H, label, 'columns');
	g.appendChild(s('line', { x1: pad, x2: W - pad, y1: H - bottom, y2: H - bottom, class: 'base' }));
	items.forEach((it, i) => {
		const v = it.value || 0;
		const hh = (v / max) * (H - top - bottom);
		const cx = pad + slot * i + slot / 2;
		g.appendChild(s('rect', { x: cx - bw / 2, y: H - bottom - hh, width: bw, height: Math.max(hh, v ? 2 : 0), rx: 3, class: `col c${i % 6}` }));
		g.appendChild(s('text', { x: cx, y: H - bottom - hh - 6, 'text-anchor': 'middle', class: 'value', text: String(v) }));
		g.appendChild(s('text', { x: cx, y: H - 10, 'text-anchor': 'middle', class: 'label', text: fit(it.label, slot - 4, 13) }));
	});
	return g;
}

/** A line over periods: [{label, value}], value may be null (a gap). */
export function line(points, { label, yMax, width }) {
	// room for half a period label past the last point: none cut at the edge
	const labelW = Math.min(80, Math.max(1, ...points.map(p => textWidth(p.label, 13)))) + 8;
	const W = Math.max(260, Math.round(width || 480)), H = 220, left = Math.max(40, labelW / 2), right = Math.max(16, labelW / 2), top = 20, bottom = 34;
	const vals = points.map(p => p.value).filter(isNum);
	const max = Math.max(yMax || 0, ...vals, 1);
	const top100 = Math.ceil(max / 20) * 20;
	const n = points.length;
	const x = i => (n <= 1 ? (left + W - right) / 2 : left + (i * (W - left - right)) / (n - 1));
	const y = v => H - bottom - (v / top100) * (H - top - bottom);
	const g = svg(W, H, label, 'line');
	for (let v = 0; v <= top100; v += top100 / 4) {
		g.appendChild(s('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: 'grid' }));
		g.appendChild(s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis', text: String(Math.round(v)) }));
	}
	let d = '';
	points.forEach((p, i) => {
		if (!isNum(p.value)) return;
		d += `${d && isNum(points[i - 1] && points[i - 1].value) ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)} `;
	});
	if (d) g.appendChild(s('path', { d: d.trim(), class: 'path' }));
	// a label every so many points, as many as fit side by side
	const gap = n > 1 ? (W - left - right) / (n - 1) : W;
	const every = Math.max(1, Math.ceil(labelW / gap));
	points.forEach((p, i) => {
		if (isNum(p.value)) {
			g.appendChild(s('circle', { cx: x(i), cy: y(p.value), r: 4, class: 'dot' },
				s('title', { text: `${p.label}: ${p.value.toFixed(2)}${p.note ? ' ' + p.note : ''}` })));
			// the first point's value to its right, clear of the axis's numbers
			if (n <= 8) g.appendChild(s('text', i === 0 && n > 1
				? { x: x(i) + 6, y: y(p.value) - 9, 'text-anchor': 'start', class: 'value', text: p.value.toFixed(1) }
				: { x: x(i), y: y(p.value) - 9, 'text-anchor': 'middle', class: 'value', text: p.value.toFixed(1) }));
		}
		// the last label too, unless it would touch the one before
		if (i % every === 0 || (i === n - 1 && ((n - 1) % every) * gap >= labelW))
			g.appendChild(s('text', { x: x(i), y: H - 12, 'text-anchor': 'middle', class: 'label', text: fit(p.label, 80, 13) }));
	});
	return g;
}
