// camserver's web UI, the Live page: cameras, their tiles and streams, adding and naming cameras, live events. Plain JavaScript modules, no build step.
'use strict';

import { $, api, matchWords, session, state, toast } from './core.js';

// ---- live ----
/**
 * Brings {@code box}'s children in line with {@code items}, by id, in place: an element that stays
 * is updated, never removed and re-inserted (that would take the keyboard focus away from it, every
 * few seconds, from whoever is using a control in it); only new ones are made, gone ones removed,
 * and a misplaced one moved.
 */
function syncById(box, items, make, update) {
  for (const n of [...box.childNodes]) if (n.nodeType !== 1 || !n.dataset.id) n.remove();
  const existing = new Map([...box.children].map(e => [e.dataset.id, e]));
  const wanted = new Set(items.map(i => i.id));
  for (const [id, el] of existing) if (!wanted.has(id)) el.remove();
  let prev = null;
  for (const it of items) {
    const el = existing.get(it.id) || make(it);
    update(el, it);
    const at = prev ? prev.nextElementSibling : box.firstElementChild;
    if (el !== at) box.insertBefore(el, at);
    prev = el;
  }
}

function cameraRow(c) {
  const tr = document.createElement('tr');
  tr.dataset.id = c.id;
  for (const cls of ['cam-name', 'cam-state', 'cam-fps']) { const td = document.createElement('td'); td.className = cls; tr.append(td); }
  const actions = document.createElement('td'); actions.className = 'admin-only';
  tr.append(actions);
  return tr;
}

/** A row's words and numbers; its buttons stay the same elements (focus stays on them) and act on the latest camera. */
function updateCameraRow(tr, c) {
  const [name, st, fps, actions] = tr.children;
  name.textContent = c.name || c.id;
  const sub = [c.location, c.name && c.name !== c.id ? c.id : ''].filter(Boolean).join(' · ');
  if (sub) { const d = document.createElement('div'); d.className = 'muted small'; d.textContent = sub; name.append(d); }
  st.textContent = c.state; st.className = 'cam-state ' + c.state;
  if (c.lastError && c.state !== 'streaming') {
    const why = document.createElement('div'); why.className = 'muted small why'; why.textContent = c.lastError;
    st.append(why);
  }
  fps.textContent = c.fps;
  tr.title = c.lastError ? 'last error: ' + c.lastError : '';
  const button = (cls, text, label, act, wanted) => {
    let b = actions.querySelector('button.' + cls.split(' ')[0]);
    if (!wanted) { if (b) b.remove(); return; }
    if (!b) { b = document.createElement('button'); b.className = cls; b.textContent = text; actions.append(b); }
    b.setAttribute('aria-label', label);
    b.onclick = act;
  };
  button('rename', 'Name', 'name camera ' + c.id, ev => nameCamera(c, ev.currentTarget), state.admin);
  button('edit', 'Edit', 'edit camera ' + c.id, () => editCamera(c), state.admin && c.origin === 'api');
  button('remove danger', 'Remove', 'remove camera ' + c.id, async () => {
    if (!confirm('Remove camera ' + c.id + '?')) return;
    try { await api('/api/cameras/' + encodeURIComponent(c.id), { method: 'DELETE' }); toast('camera ' + c.id + ' removed'); loadCameras(); }
    catch (e) { toast(e.message); }
  }, state.admin);
}

export async function loadCameras() {
  state.cameras = await api('/api/cameras');
  syncById($('#cams'), state.cameras, cameraRow, updateCameraRow);
  const sel = $('#live-camera'), current = sel.value;
  if (document.activeElement !== sel) {
    sel.replaceChildren(new Option('all cameras', ''), new Option('all cameras, one mosaic', '__mosaic'),
      ...state.cameras.map(c => new Option(c.name || c.id, c.id)));
    sel.value = current === '__mosaic' || state.cameras.some(c => c.id === current) ? current : '';
  }
  renderTiles();
  fillCameraSelect($('#filter-camera'), 'any camera');
}

// ---- first run: an empty gallery gets a guide ----
async function firstRun() {
  const box = $('#first-run');
  if (!state.admin) { box.hidden = true; return; }
  const people = await api('/api/people');
  box.hidden = people.length > 0;
  if (box.hidden) return;
  $('#first-run-register').textContent = location.origin + '/register';
  $('#first-run-password').hidden = !state.passwordGenerated;
  const visitors = await api('/api/visitors').catch(() => []);
  $('#first-run-visitors').textContent = visitors.length ? visitors.length + ' recurring unknown face' + (visitors.length === 1 ? '' : 's') + ' to name'
    : 'none yet';
}

$('#first-run-add-camera').addEventListener('click', () => { $('#camera-form-box').open = true; $('#cam-id').focus(); });

// ---- naming a camera (any camera: registered, configured or added) ----
let naming = null;

let namingOpener = null;

function nameCamera(c, opener) {
  naming = c.id;
  namingOpener = opener || document.activeElement;
  $('#name-camera-title').textContent = 'Name camera ' + c.id;
  $('#name-camera-name').value = c.name || c.id;
  $('#name-camera-location').value = c.location || '';
  $('#name-camera-msg').textContent = '';
  $('#name-camera').showModal();
  $('#name-camera-name').select();
}

$('#name-camera-cancel').addEventListener('click', () => $('#name-camera').close());
// However the dialog closes (Save, Cancel, Esc), the keyboard is back where it was.
$('#name-camera').addEventListener('close', () => { if (namingOpener && namingOpener.isConnected) namingOpener.focus(); });
$('#name-camera-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const name = $('#name-camera-name').value, location = $('#name-camera-location').value;
  try {
    await api('/api/cameras/' + encodeURIComponent(naming), { method: 'PATCH', json: { name, location } });
    $('#name-camera').close();
    toast('camera named ' + name);
    loadCameras();
  } catch (e) { $('#name-camera-msg').textContent = e.message; }
});

// ---- adding and changing cameras (admin) ----
let editing = null;

function cameraFields() {
  const f = {};
  for (const [k, el] of [['id', '#cam-id'], ['url', '#cam-url'], ['kind', '#cam-kind'], ['username', '#cam-user'], ['password', '#cam-pass'], ['fps', '#cam-fps']]) {
    const v = $(el).value.trim();
    if (v !== '') f[k] = k === 'fps' ? Number(v) : v;
  }
  return f;
}

function cameraMessage(text, bad) {
  const m = $('#cam-msg'); m.textContent = text; m.className = bad ? 'error' : 'muted';
  if (text) m.scrollIntoView({ block: 'nearest' }); // the answer is where the user looks, not below the fold
}

/** The id a name makes: "Front door" is front-door (a-z 0-9 -, at most 63). */
function slug(name) {
  return name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
}

let idTouched = false;
$('#cam-id').addEventListener('input', () => { idTouched = true; });
$('#cam-name').addEventListener('input', () => { if (!editing && !idTouched) $('#cam-id').value = slug($('#cam-name').value); });

/** Where a URL points, for messages: host and port, never the credentials. */
function hostPort(url) {
  try { const u = new URL(url); return u.hostname + ':' + (u.port || { 'http:': 80, 'https:': 443, 'rtsp:': 554 }[u.protocol] || '?'); }
  catch (e) { return url; }
}

function editCamera(c) {
  editing = c.id;
  $('#camera-form-box').open = true;
  $('#camera-form-title').textContent = 'Change camera ' + c.id;
  $('#cam-id').value = c.id; $('#cam-id').readOnly = true;
  $('#cam-url').value = (c.url || '').replace('***@', '');
  $('#cam-kind').value = c.kind || '';
  $('#cam-user').value = c.username || '';
  $('#cam-pass').value = ''; $('#cam-pass').placeholder = c.hasPassword ? 'unchanged' : '';
  $('#cam-fps').value = c.fps || '';
  $('#cam-cancel').hidden = false;
  cameraMessage('', false);
}

function resetCameraForm() {
  editing = null;
  $('#camera-form').reset();
  $('#cam-id').readOnly = false;
  $('#cam-pass').placeholder = '';
  $('#camera-form-title').textContent = 'Add a camera';
  $('#cam-cancel').hidden = true;
  $('#cam-preview').hidden = true;
}

$('#cam-cancel').addEventListener('click', resetCameraForm);

$('#cam-test').addEventListener('click', async () => {
  cameraMessage('connecting…', false);
  $('#cam-preview').hidden = true;
  const f = cameraFields();
  if (editing && !f.password) { cameraMessage('enter the password to test a changed camera', true); return; }
  // A test is about the URL: an id not chosen yet is no reason to refuse it.
  if (!f.id || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(f.id)) f.id = 'camera-test';
  try {
    const r = await fetch('/api/cameras/test', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf || '' }, body: JSON.stringify(f) });
    if (!r.ok) { const b = await r.json().catch(() => ({})); cameraMessage(hostPort(f.url || '') + ': ' + (b.error || ('HTTP ' + r.status)), true); return; }
    // As a data: URL: the page's Content-Security-Policy allows 'self' and data: images, not blob:.
    const blob = await r.blob();
    const url = await new Promise((ok, fail) => { const fr = new FileReader(); fr.onload = () => ok(fr.result); fr.onerror = fail; fr.readAsDataURL(blob); });
    const img = $('#cam-preview');
    img.src = url; img.hidden = false;
    cameraMessage('the camera at ' + hostPort(f.url) + ' answered: its first frame is below', false);
  } catch (e) { cameraMessage(e.message, true); }
});

$('#camera-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const f = cameraFields();
  try {
    if (editing) {
      delete f.id;
      await api('/api/cameras/' + encodeURIComponent(editing), { method: 'PATCH', json: f });
      toast('camera ' + editing + ' changed');
    } else {
      await api('/api/cameras', { method: 'POST', json: f });
      const label = {};
      if ($('#cam-name').value.trim()) label.name = $('#cam-name').value.trim();
      if ($('#cam-location').value.trim()) label.location = $('#cam-location').value.trim();
      if (Object.keys(label).length) await api('/api/cameras/' + encodeURIComponent(f.id), { method: 'PATCH', json: label });
      toast('camera ' + (label.name || f.id) + ' added');
    }
    idTouched = false;
    resetCameraForm();
    $('#camera-form-box').open = false;
    loadCameras();
  } catch (e) { cameraMessage(e.message + (e.body && e.body.field ? ' (' + e.body.field + ')' : ''), true); }
});

// The stream starts only once the viewer may watch (a login, unless auth.liveView is open): an
// <img> refused with 401 would stay broken after the login.
function liveStream(camera) {
  // "" is the grid of tiles (polled pictures: no stream held per camera, whatever their number);
  // the mosaic and one camera are live streams.
  const img = $('#live-img');
  $('#tiles').hidden = camera !== '';
  img.hidden = camera === '';
  if (camera === '') { img.removeAttribute('src'); refreshTiles(); return; }
  img.src = camera === '__mosaic' ? '/video_feed' : '/cameras/' + encodeURIComponent(camera) + '/stream';
}

function showCamera(id) {
  $('#live-camera').value = id;
  liveStream(id);
}

/** One tile per camera: its latest analysed picture, its name, its state in words, the faces seen there lately. */
function renderTiles() {
  const box = $('#tiles');
  if (!state.cameras.length) { box.textContent = 'No cameras yet.'; return; }
  syncById(box, state.cameras, c => {
    const fig = document.createElement('figure');
    fig.className = 'tile'; fig.dataset.id = c.id; fig.setAttribute('role', 'listitem');
    const img = document.createElement('img');
    img.tabIndex = 0; img.alt = ''; img.dataset.ready = '1';
    img.onload = img.onerror = () => { img.dataset.ready = '1'; };
    img.onclick = () => showCamera(c.id);
    img.onkeydown = ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); showCamera(c.id); } };
    const cap = document.createElement('figcaption');
    fig.append(img, cap);
    return fig;
  }, (fig, c) => {
    const img = fig.querySelector('img');
    img.alt = (c.name || c.id) + ': open the live view';
    fig.classList.toggle('cam-offline', c.state === 'offline');
    const cap = fig.querySelector('figcaption');
    const title = document.createElement('strong'); title.textContent = c.name || c.id;
    const badge = document.createElement('span'); badge.className = 'badge ' + c.state; badge.textContent = c.state;
    cap.replaceChildren(title, ' ', badge);
    if (c.lastError && c.state !== 'streaming') {
      const why = document.createElement('div'); why.className = 'small why'; why.textContent = c.lastError; cap.append(why);
    }
    const faces = document.createElement('ul'); faces.className = 'tile-faces small';
    for (const f of (state.recentByCamera[c.id] || [])) {
      const li = document.createElement('li'); li.dataset.person = f.person;
      li.textContent = `${f.person} · ${new Date(f.at).toLocaleTimeString()}`;
      faces.append(li);
    }
    cap.append(faces);
  });
}

export function refreshTiles() {
  if ($('#view-live').hidden || $('#tiles').hidden) return;
  for (const fig of $('#tiles').children) {
    const img = fig.querySelector && fig.querySelector('img');
    if (!img || img.dataset.ready !== '1') continue; // the previous picture is still on its way
    img.dataset.ready = '0';
    img.src = '/cameras/' + encodeURIComponent(fig.dataset.id) + '/tile.jpg?t=' + Date.now();
  }
}

function rememberFace(e) {
  const list = state.recentByCamera[e.camera] = state.recentByCamera[e.camera] || [];
  list.unshift({ person: e.person, at: e.at });
  list.length = Math.min(list.length, 3);
}

$('#live-camera').addEventListener('change', e => liveStream(e.target.value));

export function fillCameraSelect(sel, first) {
  const current = sel.value;
  sel.replaceChildren(new Option(first, ''), ...state.cameras.map(c => new Option(c.name || c.id, c.id)));
  sel.value = current;
}

let events = null;

// One event stream, opened once the viewer may watch. A browser gives up on an EventSource that
// was refused (401) or closed; it is reopened after checking the session again.
export function startEvents() {
  if (events || !(state.liveOpen || state.admin)) return;
  const es = events = new EventSource('/events');
  es.onerror = () => {
    if (es.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
    events = null;
    setTimeout(() => session().then(startEvents).catch(() => {}), 5000);
  };
  es.addEventListener('face', m => {
    const e = JSON.parse(m.data);
    const list = $('#recent');
    placeByTime(list, faceItem(e));
    while (list.childElementCount > 50) list.lastChild.remove();
    rememberFace(e);
    renderTiles();
  });
  for (const t of ['camera-online', 'camera-offline']) es.addEventListener(t, () => loadCameras().catch(() => {}));
}

/** Newest first by the time shown, whatever order the sightings arrive in (a track is decided after it began). */
function placeByTime(list, li) {
  const at = Number(li.dataset.at);
  const after = [...list.children].find(x => Number(x.dataset.at) < at);
  list.insertBefore(li, after || null);
}

export function faceItem(e) {
  const li = document.createElement('li');
  li.className = 'face-event';
  li.dataset.at = new Date(e.at).getTime();
  li.dataset.person = e.person;
  li.textContent = `${new Date(e.at).toLocaleTimeString()}  ${e.cameraName || e.camera}: ${e.person}${matchWords(e.person, e.similarity)}`;
  li.title = 'similarity ' + e.similarity;
  return li;
}

/** The Live page: cameras, the first-run guide, and (for the admin) the last sightings, so the list is not empty on arrival. */
export async function loadLive() {
  if (!$('#live-img').getAttribute('src') && $('#live-camera').value) liveStream($('#live-camera').value);
  await loadCameras();
  if (!state.admin) return;
  await firstRun().catch(() => {});
  const list = $('#recent');
  if (list.childElementCount === 0) {
    const past = await api('/api/events?limit=8').catch(() => []);
    for (const e of past) {
      placeByTime(list, faceItem({ at: e.lastSeen || e.firstSeen, camera: e.camera, cameraName: e.cameraName, person: e.person, similarity: e.similarity }));
    }
    for (const e of [...past].reverse()) rememberFace({ camera: e.camera, person: e.person, at: e.lastSeen || e.firstSeen });
    renderTiles();
  }
}

function stopEvents() {
  if (events) { events.close(); events = null; }
}


document.addEventListener('camserver:login', startEvents);
document.addEventListener('camserver:logout', () => {
  if (!state.liveOpen) { stopEvents(); $('#live-img').removeAttribute('src'); }
});
