// camserver's web UI, the Timeline: sightings by day, filtered, with their pictures. Plain JavaScript modules, no build step.
'use strict';

import { $, api, matchWords, plural, state, toast } from './core.js';
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
  const visits = await api('/api/visits?' + q);
  // A timeline: visits (one person's consecutive sightings on one camera) under a heading per day, newest first.
  const out = [];
  let heading = null;
  for (const v of visits) {
    const d = new Date(v.from).toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
    if (d !== heading) { const h = document.createElement('h3'); h.className = 'day'; h.textContent = d; out.push(h); heading = d; }
    out.push(visitRow(v));
  }
  $('#search-title').hidden = true;
  $('#events').replaceChildren(...out);
  if (!visits.length) $('#events').textContent = 'No sightings match.';
}

/** One visit: its best sighting's picture, who, where, when; several sightings open to their rows. */
function visitRow(v) {
  const div = document.createElement('div');
  div.className = 'visit';
  const img = document.createElement('img');
  img.src = v.thumbnail; img.alt = v.person; img.loading = 'lazy'; img.width = 64; img.height = 64;
  const what = document.createElement('div');
  what.className = 'what';
  const strong = document.createElement('strong'); strong.textContent = v.person === 'unknown' && v.group ? v.group : v.person;
  const meta = document.createElement('div'); meta.className = 'muted small';
  const from = new Date(v.from), to = new Date(v.to);
  meta.textContent = `${v.cameraName || v.camera} · ${from.toLocaleTimeString()}` + (to - from >= 60000 ? `–${to.toLocaleTimeString()}` : '');
  what.append(strong, meta);
  const rows = document.createElement('div'); rows.className = 'visit-sightings';
  const open = document.createElement('button'); open.className = 'small';
  open.textContent = plural(v.sightings, 'sighting');
  open.setAttribute('aria-expanded', 'false');
  open.onclick = async () => {
    if (open.getAttribute('aria-expanded') === 'true') { rows.replaceChildren(); open.setAttribute('aria-expanded', 'false'); return; }
    const q = new URLSearchParams({ camera: v.camera, from: Date.parse(v.from), to: Date.parse(v.to), limit: '200' });
    if (v.personId) q.set('person', v.personId); else q.set('unknown', 'true');
    const events = await api('/api/events?' + q);
    rows.replaceChildren(...events.map(eventRow));
    open.setAttribute('aria-expanded', 'true');
  };
  what.append(open);
  div.append(img, what, rows);
  return div;
}

// ---- search by face: a sighting's face, or a photo's ----
async function showSearch(title, reply) {
  $('#search-title').textContent = title + (reply.complete ? '' : ' (the history is still loading: more may come)');
  $('#search-title').hidden = false;
  const rows = reply.results.map(r => eventRow({ id: r.event, camera: r.camera, cameraName: r.cameraName, person: r.person,
    firstSeen: Date.parse(r.at), similarity: r.similarity, thumbnail: r.thumbnail, snapshot: '/api/events/' + r.event + '/snapshot.jpg',
    personId: null, searchResult: true }));
  $('#events').replaceChildren(...rows);
  if (!rows.length) $('#events').textContent = 'No sighting looks like this face.';
}

async function findFace(eventId) {
  showSearch('Sightings most like this face, most alike first', await api('/api/search/faces', { method: 'POST', json: { event: eventId } }));
}

$('#find-photo').addEventListener('change', async () => {
  const file = $('#find-photo').files[0];
  if (!file) return;
  const form = new FormData(); form.append('image', file);
  try {
    await showSearch('Sightings most like the face in ' + file.name + ', most alike first', await api('/api/search/faces', { method: 'POST', body: form }));
  } catch (err) { toast(err.message); }
  $('#find-photo').value = '';
});

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
  meta.textContent = `${e.cameraName || e.camera} · ${new Date(e.firstSeen).toLocaleString()}`
    + (e.searchResult ? ` · ${Math.round(e.similarity * 100)} % alike` : matchWords(e.person, e.similarity))
    + (e.relabelled ? ` · named later (${new Date(e.relabelledAt).toLocaleDateString()})` : '');
  what.append(strong, meta);
  const actions = document.createElement('div');
  actions.className = 'inline small';
  const snap = document.createElement('a'); snap.href = e.snapshot; snap.target = '_blank'; snap.textContent = 'frame';
  actions.append(snap);
  const find = document.createElement('button'); find.textContent = 'Find this face';
  find.onclick = () => findFace(e.id).catch(err => toast(err.message));
  actions.append(find);
  if (e.searchResult) {
    div.append(img, what, actions);
    return div;
  }
  const ignore = document.createElement('button'); ignore.textContent = 'Ignore';
  ignore.title = 'faces like this one (a poster, a television) are still recorded, never announced';
  ignore.onclick = async () => { await api('/api/events/' + e.id + '/ignore', { method: 'POST' }); toast('faces like this are ignored'); };
  actions.append(ignore);
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

