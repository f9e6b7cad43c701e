// period.js — the review cycles and the period every screen shows: which
// one by default, and the options of the period picker in the header.

import { h, clear } from './dom.js';
import { api, ApiError } from './api.js';
import * as fmt from './format.js';
import { state } from './state.js';

export function sortedCycles() {
	return [...state.cycles].sort((a, b) =>
		String(b.from || '').localeCompare(String(a.from || '')) ||
		String(b.period).localeCompare(String(a.period)));
}

function defaultPeriod() {
	const c = sortedCycles();
	if (c.length) return c[0].period;
	return fmt.today().slice(0, 7);
}

function cycleOf(period) {
	return state.cycles.find(c => c.period === period) || null;
}

export function fillPeriods(sel) {
	clear(sel);
	const list = sortedCycles();
	if (state.period && !list.some(c => c.period === state.period))
		sel.appendChild(h('option', { value: state.period, text: state.period }));
	for (const c of list)
		sel.appendChild(h('option', { value: c.period, text: `${c.period} · ${fmt.stateName(c.state)}` }));
	sel.value = state.period;
}

export async function loadCycles() {
	try {
		const c = await api('GET', '/api/cycles');
		state.cycles = Array.isArray(c) ? c : [];
	} catch (e) {
		state.cycles = [];
		if (!(e instanceof ApiError) || e.status !== 403) throw e;
	}
	if (!state.period || (!cycleOf(state.period) && state.cycles.length && !state.periodFromUrl))
		state.period = defaultPeriod();
	const sel = document.getElementById('period');
	if (sel) fillPeriods(sel);
}
