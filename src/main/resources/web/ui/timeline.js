// camserver's web UI, the Timeline: sightings by day, filtered, with their pictures. Plain JavaScript modules, no build step.
'use strict';

import { $, api, state, toast } from './core.js';
import { loadPeople } from './people.js';

// ---- events ----
export async function loadEvents() {
  if (!state.people.length) await loadPeople();
  const q = new URLSearchParams({ limit: '100' });
  const who = $('#filter-person').value;
  if (who === '__unknown') q.set('unknown', 'true'); else if (who) q.set('person', who);
  if ($('#filter-camera').value) q.set('camera', $('#filter-camera').value);
  const day = $('#filter-day').value;
  if (day) { const from = new Date(day + 'T00:00'); q.set('from', from.getTime()); q.set('to', from.getTime() + 86400000); }
  const events = await api('/api/events?' + q);
  // A timeline: the sightings under a heading per day, newest first.
  const out = [];
  let heading = null;
  for (const e of events) {
    const d = new Date(e.firstSeen).toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
    if (d !== heading) { const h = document.createElement('h3'); h.className = 'day'; h.textContent = d; out.push(h); heading = d; }
    out.push(eventRow(e));
  }
  $('#events').replaceChildren(...out);
  if (!events.length) $('#events').textContent = 'No sightings match.';
}

function eventRow(e) {
  const div = document.createElement('div');
  div.className = 'event';
  const img = document.createElement('img');
  img.src = e.thumbnail; img.alt = e.person + ': open the frame'; img.loading = 'lazy';
  img.tabIndex = 0; img.className = 'open-frame';
  const open = () => {
    $('#snapshot-img').src = e.snapshot;
    $('#snapshot-caption').textContent = `${e.person} · ${e.cameraName || e.camera} · ${new Date(e.firstSeen).toLocaleString()}`;
    $('#snapshot-view').showModal();
  };
  img.onclick = open;
  img.onkeydown = ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } };
  const what = document.createElement('div');
  what.className = 'what';
  const who = e.person === 'unknown' && e.visitor ? e.visitor : e.person;
  what.innerHTML = '';
  const strong = document.createElement('strong'); strong.textContent = who;
  const meta = document.createElement('div'); meta.className = 'muted small';
  meta.textContent = `${e.cameraName || e.camera} · ${new Date(e.firstSeen).toLocaleString()} · similarity ${e.similarity}`;
  what.append(strong, meta);
  const actions = document.createElement('div');
  actions.className = 'inline small';
  const snap = document.createElement('a'); snap.href = e.snapshot; snap.target = '_blank'; snap.textContent = 'frame';
  actions.append(snap);
  if (e.personId) {
    const b = document.createElement('button'); b.textContent = 'Not ' + e.person;
    b.onclick = async () => { await api('/api/events/' + e.id + '/reject', { method: 'POST' }); toast('corrected'); loadEvents(); };
    actions.append(b);
  } else {
    const sel = document.createElement('select');
    sel.append(new Option('This is…', ''), ...state.people.map(p => new Option(p.name, p.id)));
    sel.onchange = async () => {
      if (!sel.value) return;
      await api('/api/people/' + sel.value + '/samples/from-event', { method: 'POST', json: { event: e.id } });
      toast('added to ' + sel.options[sel.selectedIndex].text); loadEvents();
    };
    actions.append(sel);
  }
  div.append(img, what, actions);
  return div;
}

$('#event-filter').addEventListener('submit', e => { e.preventDefault(); loadEvents().catch(err => toast(err.message)); });

