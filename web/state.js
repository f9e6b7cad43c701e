// state.js — what every screen shares: who is logged in, the period shown,
// and the plan and people, loaded once and kept until they change.

import { api, ApiError } from './api.js';
import * as fmt from './format.js';

export const state = {
	me: null,       // /api/me
	cycles: [],     // /api/cycles
	period: '',     // the period every screen shows
	plan: null,     // /api/plan, loaded when a screen needs it
	people: null,   // /api/people
};

export const isAdmin = () => state.me && state.me.role === 'admin';

export async function ensurePlan() {
	if (!state.plan) {
		try { state.plan = await api('GET', '/api/plan'); } catch (e) {
			if (e instanceof ApiError && e.handled) throw e;
			state.plan = null;
		}
		// SPEC: a plan with no `currency:` key has the default, CNY
		fmt.setCurrency(state.plan ? state.plan.currency || 'CNY' : '');
	}
	return state.plan;
}

export async function ensurePeople() {
	if (!state.people) {
		const p = await api('GET', '/api/people');
		state.people = Array.isArray(p) ? p : [];
	}
	return state.people;
}

export function indicatorName(key, name) {
	const i = !name && state.plan && (state.plan.indicators || []).find(x => x.key === key);
	return fmt.indicator(key, name || (i && i.name));
}

export function positionName(key) {
	const p = state.plan && (state.plan.positions || []).find(x => x.key === key);
	return fmt.position(key, p && p.name);
}

/** An indicator's unit (count, currency, percent…) from the plan. */
export function indicatorUnit(key) {
	const i = state.plan && (state.plan.indicators || []).find(x => x.key === key);
	return i ? i.unit : null;
}
