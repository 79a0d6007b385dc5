// camserver's web UI: plain JavaScript modules, no build step. Views are sections switched by the URL
// hash; the server's JSON API does the work; live updates arrive over Server-Sent Events.
// core: the state every page reads, the API client, the session and the views.
'use strict';

export const state = { csrf: null, admin: false, liveOpen: true, people: [], cameras: [], warnings: {}, recentByCamera: {} };
export const $ = (sel, root = document) => root.querySelector(sel);

export function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 3500);
}

export async function api(path, options = {}) {
  const opts = { credentials: 'same-origin', ...options, headers: { ...(options.headers || {}) } };
  if (opts.method && opts.method !== 'GET' && state.csrf) opts.headers['X-CSRF-Token'] = state.csrf;
  if (opts.json !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(opts.json);
  }
  const r = await fetch(path, opts);
  // A 401 elsewhere means the session ended; the login's own 401 carries its reason.
  if (r.status === 401 && path !== '/login') { state.admin = false; show('login'); throw new Error('please log in'); }
  const type = r.headers.get('content-type') || '';
  const body = type.includes('application/json') ? await r.json() : await r.text();
  if (!r.ok) {
    const err = new Error((body && body.error) || body || ('HTTP ' + r.status));
    err.body = body; err.status = r.status;
    throw err;
  }
  return body;
}

/** A match as a person reads it: "92 % match" where a name was given; nothing for unknown (a raw score there misleads). */
export function matchWords(person, similarity) {
  return person && person !== 'unknown' ? ` · ${Math.round(similarity * 100)} % match` : '';
}

/** A view's quality in words (the numbers stay in the tooltip). */
export function qualityWords(q) {
  // The quality gate refuses under quality.minSharpness (15 by default): twice that is soft, seven times is crisp.
  const sharp = q.sharpness >= 100 ? 'sharp' : q.sharpness >= 30 ? 'a little blurry' : 'blurry';
  const turn = Math.abs(q.yaw) < 15 ? 'facing the camera' : Math.abs(q.yaw) < 35 ? 'turned a little' : 'turned away';
  return `${q.height} px · ${sharp} · ${turn}`;
}

export function plural(n, one, many) {
  return n + ' ' + (n === 1 ? one : (many || one + 's'));
}

export async function session() {
  const s = await api('/api/session');
  state.csrf = s.csrfToken; state.admin = s.admin; state.liveOpen = s.liveViewOpen; state.passwordGenerated = !!s.passwordGenerated;
  document.body.classList.toggle('admin', !!state.admin);
  $('#who').replaceChildren();
  if (state.admin) {
    const b = document.createElement('button');
    b.textContent = 'Log out'; b.id = 'logout';
    b.onclick = async () => {
      await api('/logout', { method: 'POST' });
      state.admin = false; state.csrf = null;
      await session();
      document.dispatchEvent(new Event('camserver:logout'));
      show('login');
    };
    $('#who').append('admin ', b);
  } else {
    // Not logged in: say so, and offer the way in from every page (the open live view included).
    const b = document.createElement('button');
    b.textContent = 'Log in'; b.id = 'login-link';
    b.onclick = () => { state.after = location.hash.slice(1) || 'live'; show('login'); };
    $('#who').append(b);
  }
}

const adminViews = new Set(['people', 'person', 'events', 'unknown', 'privacy']);

/** Each view's loader, by the name in the URL hash; the pages register theirs (main.js). */
export const views = {};

/** Shows a view by its hash: a name, and for a page of one thing its id after a slash (#person/ID, in state.arg). */
export function show(hash) {
  const slash = hash.indexOf('/');
  let view = slash < 0 ? hash : hash.slice(0, slash);
  state.arg = slash < 0 ? null : decodeURIComponent(hash.slice(slash + 1));
  if (adminViews.has(view) && !state.admin) { state.after = hash; view = 'login'; }
  if (view === 'live' && !state.liveOpen && !state.admin) { state.after = hash; view = 'login'; }
  document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== 'view-' + view; });
  const section = view === 'person' ? 'people' : view;
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', a.dataset.view === section));
  if (views[view]) views[view]().catch(e => toast(e.message));
}

export function route() { show((location.hash || '#live').slice(1)); }

$('#login-form').addEventListener('submit', async e => {
  e.preventDefault();
  $('#login-error').textContent = '';
  try {
    const r = await api('/login', { method: 'POST', json: { password: $('#login-password').value } });
    state.csrf = r.csrfToken; state.admin = true;
    $('#login-password').value = '';
    await session();
    document.dispatchEvent(new Event('camserver:login'));
    const next = state.after || 'people';
    state.after = null;
    if (location.hash === '#' + next) show(next); else location.hash = '#' + next;
  } catch (err) { $('#login-error').textContent = err.message; }
});

