// camserver's web UI, a person's page: every sample and every visit, paged, with bulk corrections. Plain JavaScript modules, no build step.
'use strict';

import { $, api, plural, qualityWords, state, toast } from './core.js';
import { wireRename } from './people.js';

const VISITS_PAGE = 20;
const SAMPLES_PAGE = 60;
const page = { person: null, samples: [], shownSamples: 0, pickedSamples: new Set(), pickedFaces: new Set(), oldest: null };

export async function loadPersonPage() {
  const p = await api('/api/people/' + encodeURIComponent(state.arg));
  Object.assign(page, { person: p, samples: [], shownSamples: 0, oldest: null });
  page.pickedSamples.clear(); page.pickedFaces.clear();
  const face = $('#pp-face');
  face.hidden = !p.thumbnail; face.src = p.thumbnail || ''; face.alt = p.name;
  $('#pp-title').textContent = p.name;
  $('#pp-meta').textContent = plural(p.samples, 'sample');
  wireRename($('#pp-name'), $('#pp-rename-save'), p, renamed => { $('#pp-title').textContent = renamed; $('#pp-face').alt = renamed; });
  $('#pp-rename').onsubmit = e => { e.preventDefault(); $('#pp-rename-save').click(); };
  pickedFacesChanged();
  await loadSamples();
  $('#pp-visits').replaceChildren();
  await moreVisits();
}

// ---- samples: a grid of faces, each selectable; removal of several at once ----
async function loadSamples() {
  page.samples = await api('/api/people/' + page.person.id + '/samples');
  page.shownSamples = 0;
  $('#pp-samples').replaceChildren();
  showMoreSamples();
  pickedSamplesChanged();
}

function showMoreSamples() {
  const next = page.samples.slice(page.shownSamples, page.shownSamples + SAMPLES_PAGE);
  page.shownSamples += next.length;
  $('#pp-samples').append(...next.map(sampleItem));
  $('#pp-samples-more')?.remove();
  if (page.shownSamples < page.samples.length) {
    const more = document.createElement('li');
    more.id = 'pp-samples-more';
    const b = document.createElement('button'); b.type = 'button';
    b.textContent = `${page.samples.length - page.shownSamples} more`;
    b.onclick = showMoreSamples;
    more.append(b);
    $('#pp-samples').append(more);
  }
}

function sampleItem(x) {
  const li = document.createElement('li');
  li.className = 'sample' + (x.consistency && x.consistency.outlier ? ' outlier' : '');
  li.dataset.id = x.id;
  const label = document.createElement('label');
  const box = document.createElement('input'); box.type = 'checkbox'; box.className = 'pick';
  box.setAttribute('aria-label', 'select this sample');
  box.onchange = () => { box.checked ? page.pickedSamples.add(x.id) : page.pickedSamples.delete(x.id); li.classList.toggle('selected', box.checked); pickedSamplesChanged(); };
  const img = document.createElement('img'); img.src = x.crop; img.alt = 'sample from ' + x.source; img.width = 96; img.height = 96;
  label.append(img, box);
  const cap = document.createElement('div'); cap.className = 'small';
  cap.textContent = x.consistency ? Math.round(x.consistency.best * 100) + ' % like the others' + (x.consistency.outlier ? ' (stands out)' : '') : x.source;
  if (x.quality) {
    const q = document.createElement('div'); q.className = 'small muted quality'; q.textContent = qualityWords(x.quality);
    cap.append(q);
  }
  li.append(label, cap);
  return li;
}

function pickedSamplesChanged() {
  const n = page.pickedSamples.size;
  $('#pp-samples-remove').disabled = !n;
  $('#pp-samples-selected').textContent = n ? plural(n, 'sample') + ' selected' : '';
  $('#pp-samples-all').textContent = n && n === page.shownSamples ? 'Select none' : 'Select all';
}

$('#pp-samples-all').onclick = () => {
  const all = page.pickedSamples.size !== page.shownSamples;
  document.querySelectorAll('#pp-samples .sample').forEach(li => {
    const box = $('input.pick', li);
    box.checked = all; li.classList.toggle('selected', all);
    all ? page.pickedSamples.add(li.dataset.id) : page.pickedSamples.delete(li.dataset.id);
  });
  pickedSamplesChanged();
};

$('#pp-samples-remove').onclick = async () => {
  const ids = [...page.pickedSamples];
  if (!ids.length || !confirm(`Remove ${plural(ids.length, 'sample')} of ${page.person.name}?`)) return;
  let done = 0;
  for (const id of ids) {
    try { await api('/api/samples/' + id, { method: 'DELETE' }); done++; } catch (e) { toast(e.message); }
  }
  page.pickedSamples.clear();
  page.person.samples -= done;
  $('#pp-meta').textContent = plural(page.person.samples, 'sample');
  toast(`${plural(done, 'sample')} removed`);
  await loadSamples();
};

// ---- visits: one stay in front of one camera each, newest first, paged; their faces selectable ----
async function moreVisits() {
  const to = page.oldest === null ? '' : '&to=' + (page.oldest - 1);
  const visits = await api(`/api/visits?person=${page.person.id}&limit=${VISITS_PAGE}${to}`);
  $('#pp-visits').append(...visits.map(visitItem));
  if (visits.length) page.oldest = Math.min(...visits.map(v => Date.parse(v.from)));
  $('#pp-more').hidden = visits.length < VISITS_PAGE;
  if (!$('#pp-visits').children.length) $('#pp-visits').textContent = 'Not seen yet.';
}

$('#pp-more').onclick = () => moreVisits().catch(e => toast(e.message));

function visitItem(v) {
  const div = document.createElement('div'); div.className = 'visit';
  const img = document.createElement('img'); img.src = v.thumbnail; img.alt = `${v.person} on ${v.cameraName || v.camera}`;
  const what = document.createElement('div'); what.className = 'what';
  const from = new Date(v.from), until = new Date(v.to);
  const title = document.createElement('strong'); title.textContent = v.cameraName || v.camera;
  const when = document.createElement('div'); when.className = 'muted small';
  when.textContent = `${from.toLocaleString()}${v.sightings > 1 ? ' to ' + until.toLocaleTimeString() : ''} · ${v.sightings === 1 ? 'seen once' : 'seen ' + v.sightings + ' times'}`;
  what.append(title, when);
  const faces = document.createElement('details'); faces.className = 'visit-sightings';
  const sum = document.createElement('summary'); sum.textContent = v.sightings === 1 ? 'its face' : `its ${v.sightings} faces`;
  const list = document.createElement('ul'); list.className = 'samples selectable';
  faces.append(sum, list);
  faces.addEventListener('toggle', async () => {
    if (!faces.open || list.children.length) return;
    const events = await api(`/api/events?person=${page.person.id}&camera=${encodeURIComponent(v.camera)}&from=${Date.parse(v.from)}&to=${Date.parse(v.to)}&limit=200`);
    list.replaceChildren(...events.map(faceItem));
  });
  div.append(img, what, faces);
  return div;
}

function faceItem(e) {
  const li = document.createElement('li'); li.className = 'sample'; li.dataset.event = e.id;
  const label = document.createElement('label');
  const box = document.createElement('input'); box.type = 'checkbox'; box.className = 'pick';
  box.setAttribute('aria-label', 'select this face');
  box.onchange = () => { box.checked ? page.pickedFaces.add(e.id) : page.pickedFaces.delete(e.id); li.classList.toggle('selected', box.checked); pickedFacesChanged(); };
  const img = document.createElement('img'); img.src = e.thumbnail; img.alt = 'face seen ' + new Date(e.firstSeen).toLocaleTimeString(); img.width = 72; img.height = 72;
  label.append(img, box);
  const cap = document.createElement('div'); cap.className = 'small muted'; cap.textContent = new Date(e.firstSeen).toLocaleTimeString();
  li.append(label, cap);
  return li;
}

function pickedFacesChanged() {
  const n = page.pickedFaces.size;
  $('#pp-faces-not').disabled = $('#pp-faces-forget').disabled = !n;
  $('#pp-faces-not').textContent = 'Not ' + (page.person ? page.person.name : 'this person');
  $('#pp-faces-selected').textContent = n ? plural(n, 'face') + ' selected' : '';
}

async function eachFace(verb, request, question) {
  const ids = [...page.pickedFaces];
  if (!ids.length || !confirm(question(plural(ids.length, 'face')))) return;
  let done = 0;
  for (const id of ids) {
    try { await api('/api/events/' + id + request.path, request.options); done++; } catch (e) { toast(e.message); }
  }
  page.pickedFaces.clear();
  pickedFacesChanged();
  toast(`${plural(done, 'face')} ${verb}`);
  page.oldest = null;
  $('#pp-visits').replaceChildren();
  await moreVisits();
}

$('#pp-faces-not').onclick = () => eachFace('corrected', { path: '/reject', options: { method: 'POST' } },
  n => `${n}: not ${page.person.name}? camserver keeps them as faces that are not ${page.person.name}.`).catch(e => toast(e.message));
$('#pp-faces-forget').onclick = () => eachFace('forgotten', { path: '', options: { method: 'DELETE' } },
  n => `Forget ${n} with their pictures?`).catch(e => toast(e.message));
