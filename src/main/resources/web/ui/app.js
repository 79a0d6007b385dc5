// camserver's web UI: plain JavaScript, no build step. Views are sections switched by the URL
// hash; the server's JSON API does the work; live updates arrive over Server-Sent Events.
'use strict';

const state = { csrf: null, admin: false, liveOpen: true, people: [], cameras: [], warnings: {}, recentByCamera: {} };
const $ = (sel, root = document) => root.querySelector(sel);

function toast(text) {
  const t = $('#toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 3500);
}

async function api(path, options = {}) {
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

async function session() {
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
      if (!state.liveOpen) { stopEvents(); $('#live-img').removeAttribute('src'); }
      show('login');
    };
    $('#who').append('admin ', b);
  } else {
    $('#who').textContent = 'viewer';
  }
}

const adminViews = new Set(['people', 'events', 'unknown', 'privacy']);

function show(view) {
  if (adminViews.has(view) && !state.admin) { state.after = view; view = 'login'; }
  if (view === 'live' && !state.liveOpen && !state.admin) { state.after = view; view = 'login'; }
  document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== 'view-' + view; });
  if (view === 'live' && !$('#live-img').getAttribute('src') && $('#live-camera').value) liveStream($('#live-camera').value);
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', a.dataset.view === view));
  const loaders = { people: loadPeople, events: loadEvents, unknown: loadVisitors, privacy: loadPrivacy, live: loadLive };
  if (loaders[view]) loaders[view]().catch(e => toast(e.message));
}

function route() { show((location.hash || '#live').slice(1)); }

$('#login-form').addEventListener('submit', async e => {
  e.preventDefault();
  $('#login-error').textContent = '';
  try {
    const r = await api('/login', { method: 'POST', json: { password: $('#login-password').value } });
    state.csrf = r.csrfToken; state.admin = true;
    $('#login-password').value = '';
    await session();
    startEvents();
    const next = state.after || 'people';
    state.after = null;
    if (location.hash === '#' + next) show(next); else location.hash = '#' + next;
  } catch (err) { $('#login-error').textContent = err.message; }
});

// ---- live ----
async function loadCameras() {
  state.cameras = await api('/api/cameras');
  const body = $('#cams');
  body.replaceChildren(...state.cameras.map(c => {
    const tr = document.createElement('tr');
    tr.dataset.id = c.id;
    for (const [v, cls] of [[c.name || c.id, 'cam-name'], [c.state, c.state], [c.fps, '']]) {
      const td = document.createElement('td'); td.textContent = v; if (cls) td.className = cls; tr.append(td);
    }
    const sub = [c.location, c.name && c.name !== c.id ? c.id : ''].filter(Boolean).join(' · ');
    if (sub) { const d = document.createElement('div'); d.className = 'muted small'; d.textContent = sub; tr.children[0].append(d); }
    if (c.lastError && c.state !== 'streaming') {
      const why = document.createElement('div'); why.className = 'muted small why'; why.textContent = c.lastError;
      tr.children[1].append(why);
    }
    tr.title = c.lastError ? 'last error: ' + c.lastError : '';
    const actions = document.createElement('td'); actions.className = 'admin-only';
    if (state.admin) {
      const ren = document.createElement('button'); ren.textContent = 'Name'; ren.className = 'rename';
      ren.setAttribute('aria-label', 'name camera ' + c.id);
      ren.onclick = () => nameCamera(c);
      actions.append(ren);
    }
    if (state.admin && c.origin === 'api') {
      const edit = document.createElement('button'); edit.textContent = 'Edit'; edit.className = 'edit';
      edit.setAttribute('aria-label', 'edit camera ' + c.id); edit.onclick = () => editCamera(c);
      actions.append(edit);
    }
    if (state.admin) {
      const del = document.createElement('button'); del.textContent = 'Remove'; del.className = 'remove danger';
      del.setAttribute('aria-label', 'remove camera ' + c.id);
      del.onclick = async () => {
        if (!confirm('Remove camera ' + c.id + '?')) return;
        try { await api('/api/cameras/' + encodeURIComponent(c.id), { method: 'DELETE' }); toast('camera ' + c.id + ' removed'); loadCameras(); }
        catch (e) { toast(e.message); }
      };
      actions.append(del);
    }
    tr.append(actions);
    return tr;
  }));
  const sel = $('#live-camera'), current = sel.value;
  sel.replaceChildren(new Option('all cameras', ''), new Option('all cameras, one mosaic', '__mosaic'),
    ...state.cameras.map(c => new Option(c.name || c.id, c.id)));
  sel.value = current === '__mosaic' || state.cameras.some(c => c.id === current) ? current : '';
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

function nameCamera(c) {
  naming = c.id;
  $('#name-camera-title').textContent = 'Name camera ' + c.id;
  $('#name-camera-name').value = c.name || c.id;
  $('#name-camera-location').value = c.location || '';
  $('#name-camera-msg').textContent = '';
  $('#name-camera').showModal();
  $('#name-camera-name').select();
}

$('#name-camera-cancel').addEventListener('click', () => $('#name-camera').close());
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
  try {
    const r = await fetch('/api/cameras/test', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf || '' }, body: JSON.stringify(f) });
    if (!r.ok) { const b = await r.json().catch(() => ({})); cameraMessage(b.error || ('HTTP ' + r.status), true); return; }
    // As a data: URL: the page's Content-Security-Policy allows 'self' and data: images, not blob:.
    const blob = await r.blob();
    const url = await new Promise((ok, fail) => { const fr = new FileReader(); fr.onload = () => ok(fr.result); fr.onerror = fail; fr.readAsDataURL(blob); });
    const img = $('#cam-preview');
    img.src = url; img.hidden = false;
    cameraMessage('the camera answered: its first frame is below', false);
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
      toast('camera ' + f.id + ' added');
    }
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
  const keep = new Map([...box.children].map(f => [f.dataset.id, f]));
  box.replaceChildren(...state.cameras.map(c => {
    let fig = keep.get(c.id);
    if (!fig) {
      fig = document.createElement('figure');
      fig.className = 'tile'; fig.dataset.id = c.id; fig.setAttribute('role', 'listitem');
      const img = document.createElement('img');
      img.tabIndex = 0; img.alt = ''; img.dataset.ready = '1';
      img.onload = img.onerror = () => { img.dataset.ready = '1'; };
      img.onclick = () => showCamera(c.id);
      img.onkeydown = ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); showCamera(c.id); } };
      const cap = document.createElement('figcaption');
      fig.append(img, cap);
    }
    const img = fig.querySelector('img');
    img.alt = (c.name || c.id) + ': open the live view';
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
    return fig;
  }));
  if (!state.cameras.length) box.textContent = 'No cameras yet.';
}

function refreshTiles() {
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

function fillCameraSelect(sel, first) {
  const current = sel.value;
  sel.replaceChildren(new Option(first, ''), ...state.cameras.map(c => new Option(c.name || c.id, c.id)));
  sel.value = current;
}

let events = null;

// One event stream, opened once the viewer may watch. A browser gives up on an EventSource that
// was refused (401) or closed; it is reopened after checking the session again.
function startEvents() {
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
    list.prepend(faceItem(e));
    while (list.childElementCount > 50) list.lastChild.remove();
    rememberFace(e);
    renderTiles();
  });
  for (const t of ['camera-online', 'camera-offline']) es.addEventListener(t, () => loadCameras().catch(() => {}));
}

function faceItem(e) {
  const li = document.createElement('li');
  li.className = 'face-event';
  li.dataset.person = e.person;
  li.textContent = `${new Date(e.at).toLocaleTimeString()}  ${e.cameraName || e.camera}: ${e.person} (${e.similarity})`;
  return li;
}

/** The Live page: cameras, the first-run guide, and (for the admin) the last sightings, so the list is not empty on arrival. */
async function loadLive() {
  await loadCameras();
  if (!state.admin) return;
  await firstRun().catch(() => {});
  const list = $('#recent');
  if (list.childElementCount === 0) {
    const past = await api('/api/events?limit=8').catch(() => []);
    for (const e of past) {
      list.append(faceItem({ at: e.lastSeen || e.firstSeen, camera: e.camera, cameraName: e.cameraName, person: e.person, similarity: e.similarity }));
    }
    for (const e of [...past].reverse()) rememberFace({ camera: e.camera, person: e.person, at: e.lastSeen || e.firstSeen });
    renderTiles();
  }
}

function stopEvents() {
  if (events) { events.close(); events = null; }
}

// ---- people ----
async function loadPeople() {
  if (!state.cameras.length) state.cameras = await api('/api/cameras');
  state.people = await api('/api/people');
  const box = $('#people');
  box.replaceChildren(...state.people.map(personCard));
  loadRecognitions().catch(() => {});
  const fp = $('#filter-person'), current = fp.value;
  fp.replaceChildren(new Option('anyone', ''), new Option('unknown only', '__unknown'), ...state.people.map(p => new Option(p.name, p.id)));
  fp.value = current;
}

function personCard(p) {
  const card = $('#person-card').content.firstElementChild.cloneNode(true);
  card.dataset.id = p.id; card.dataset.name = p.name;
  const img = $('.thumb', card);
  if (p.thumbnail) img.src = p.thumbnail; else img.style.visibility = 'hidden';
  img.alt = p.name;
  $('.name', card).value = p.name;
  $('.count', card).textContent = p.samples + (p.samples === 1 ? ' sample' : ' samples');
  if (state.warnings[p.id]) {
    const w = document.createElement('p');
    w.className = 'warning';
    w.setAttribute('role', 'alert');
    w.textContent = state.warnings[p.id];
    $('.count', card).after(w);
  }
  $('.export', card).href = '/api/people/' + p.id + '/export';
  $('.export', card).download = p.name + '.zip';
  $('.rename', card).onclick = async () => {
    try { await api('/api/people/' + p.id, { method: 'PATCH', json: { name: $('.name', card).value } }); toast('renamed'); loadPeople(); }
    catch (e) { toast(e.message); }
  };
  $('.delete', card).onclick = async () => {
    if (!confirm('Delete ' + p.name + ' with all their photos and sightings?')) return;
    try { await api('/api/people/' + p.id, { method: 'DELETE' }); toast(p.name + ' deleted'); loadPeople(); }
    catch (e) { toast(e.message); }
  };
  $('.file', card).onchange = e => {
    const files = [...e.target.files];
    e.target.value = ''; // the same photo may be chosen again, and the next choice starts empty
    enrollMany(p, files, card);
  };
  // Several photos at once, dropped on the card: each gets its own verdict.
  card.addEventListener('dragover', e => { e.preventDefault(); card.classList.add('drop'); });
  card.addEventListener('dragleave', () => card.classList.remove('drop'));
  card.addEventListener('drop', e => {
    e.preventDefault(); card.classList.remove('drop');
    enrollMany(p, [...e.dataTransfer.files].filter(f => f.type.startsWith('image/')), card);
  });
  // Where and when the person was last seen (their latest sightings).
  api('/api/people/' + p.id).then(full => {
    const last = full.lastSeen || [];
    $('.last-seen', card).textContent = last.length
      ? 'last seen: ' + last.slice(0, 3).map(x => `${x.cameraName || x.camera}, ${new Date(x.at).toLocaleString()}`).join('; ')
      : 'not seen yet';
  }).catch(() => {});
  const lib = $('.library', card);
  lib.addEventListener('toggle', () => { if (lib.open) loadSamples(p, card); });
  const fromCam = $('.from-camera', card);
  for (const c of state.cameras) fromCam.append(new Option('from ' + (c.name || c.id), c.id));
  fromCam.onchange = () => { if (fromCam.value) enrollFromCamera(p, fromCam.value, card, null); };
  return card;
}

/** A new sample is kept either way; one unlike the person's others (a wrong photo?) is flagged, and the flag stays until the list reloads. */
function sampleVerdict(p, added) {
  if (added && added.warning) {
    state.warnings[p.id] = added.warning;
    toast('added, but ' + added.warning);
  } else {
    delete state.warnings[p.id];
    toast('sample added to ' + p.name);
  }
  loadPeople();
}

/** The latest sightings' faces, each one click from "this is ..." or "not this person". */
async function loadRecognitions() {
  const events = await api('/api/events?limit=12');
  $('#recognitions').replaceChildren(...events.map(e => {
    const li = document.createElement('li');
    li.className = 'sample recognition'; li.dataset.event = e.id; li.dataset.person = e.person;
    const img = document.createElement('img');
    img.src = e.thumbnail; img.alt = 'face seen on ' + (e.cameraName || e.camera); img.width = 72; img.height = 72;
    const cap = document.createElement('div');
    cap.className = 'small';
    cap.textContent = `${e.person === 'unknown' && e.visitor ? e.visitor : e.person} · ${e.cameraName || e.camera} · ${new Date(e.firstSeen).toLocaleTimeString()}`;
    li.append(img, cap);
    if (e.personId) {
      const b = document.createElement('button'); b.className = 'not-person small'; b.textContent = 'Not ' + e.person;
      b.onclick = async () => {
        try { await api('/api/events/' + e.id + '/reject', { method: 'POST' }); toast('noted: not ' + e.person); loadRecognitions(); }
        catch (err) { toast(err.message); }
      };
      li.append(b);
    } else {
      const sel = document.createElement('select');
      sel.className = 'assign small'; sel.setAttribute('aria-label', 'who is this?');
      sel.append(new Option('This is…', ''), ...state.people.map(p => new Option(p.name, p.id)));
      sel.onchange = async () => {
        if (!sel.value) return;
        try {
          await api('/api/people/' + sel.value + '/samples/from-event', { method: 'POST', json: { event: e.id } });
          toast('added to ' + sel.options[sel.selectedIndex].text);
          loadPeople();
        } catch (err) { toast(err.message); }
      };
      li.append(sel);
    }
    return li;
  }));
  if (!events.length) $('#recognitions').textContent = 'Nobody seen yet.';
}

/** Uploads photos one after the other; each line says what became of it (kept, flagged, or why not). */
async function enrollMany(p, files, card) {
  if (!files.length) return;
  const list = $('.verdicts', card);
  list.replaceChildren();
  let added = 0;
  for (const file of files) {
    const li = document.createElement('li');
    li.textContent = file.name + ': uploading…';
    list.append(li);
    const form = new FormData();
    form.append('image', file);
    try {
      const r = await api('/api/people/' + p.id + '/samples', { method: 'POST', body: form });
      added++;
      li.textContent = file.name + ': ' + (r.warning ? 'added, but ' + r.warning : 'added');
      if (r.warning) li.className = 'warning';
    } catch (e) {
      li.textContent = file.name + ': not added: ' + e.message;
      li.className = 'error';
    }
  }
  toast(added + ' of ' + files.length + ' photos added to ' + p.name);
  $('.count', card).textContent = (p.samples + added) + ((p.samples + added) === 1 ? ' sample' : ' samples');
  p.samples += added;
  if ($('.library', card).open) loadSamples(p, card);
}

/** The person's samples in a grid: each with how like the others it is, outliers flagged, removable. */
async function loadSamples(p, card) {
  const box = $('.samples', card);
  const samples = await api('/api/people/' + p.id + '/samples');
  box.replaceChildren(...samples.map(x => {
    const li = document.createElement('li');
    li.className = 'sample' + (x.consistency && x.consistency.outlier ? ' outlier' : '');
    li.dataset.id = x.id;
    const img = document.createElement('img');
    img.src = x.crop; img.alt = 'sample from ' + x.source; img.width = 72; img.height = 72;
    const cap = document.createElement('div');
    cap.className = 'small';
    cap.textContent = x.consistency ? 'like the others: ' + x.consistency.best.toFixed(2) + (x.consistency.outlier ? ' (outlier)' : '') : x.source;
    if (x.quality) {
      const q = document.createElement('div'); q.className = 'small muted quality';
      q.textContent = `${x.quality.height} px · sharp ${x.quality.sharpness} · ${Math.abs(x.quality.yaw)}° turned`;
      q.title = 'the view it was enrolled from: face height, sharpness (variance of the Laplacian), head turn';
      cap.append(q);
    }
    if (x.warning) cap.title = x.warning;
    const del = document.createElement('button');
    del.textContent = 'Remove'; del.className = 'remove-sample small';
    del.setAttribute('aria-label', 'remove this sample of ' + p.name);
    del.onclick = async () => {
      try { await api('/api/samples/' + x.id, { method: 'DELETE' }); p.samples--; $('.count', card).textContent = p.samples + (p.samples === 1 ? ' sample' : ' samples'); loadSamples(p, card); }
      catch (e) { toast(e.message); }
    };
    li.append(img, cap, del);
    return li;
  }));
}

async function enrollUpload(p, file, card, face) {
  if (!file) return;
  const form = new FormData();
  form.append('image', file);
  if (face !== null) form.append('face', String(face));
  try {
    const added = await api('/api/people/' + p.id + '/samples', { method: 'POST', body: form });
    sampleVerdict(p, added);
    loadPeople();
  } catch (e) { offerFaces(e, card, i => enrollUpload(p, file, card, i)); }
}

async function enrollFromCamera(p, camera, card, face) {
  const json = { camera };
  if (face !== null) json.face = face;
  try {
    const added = await api('/api/people/' + p.id + '/samples/from-camera', { method: 'POST', json });
    sampleVerdict(p, added);
    loadPeople();
  } catch (e) { offerFaces(e, card, i => enrollFromCamera(p, camera, card, i)); }
}

/** Several faces in the picture: let the user pick which one is the person. */
function offerFaces(err, card, pick) {
  const faces = err.body && err.body.faces;
  if (!faces) { toast(err.message); return; }
  const box = $('.faces', card);
  box.replaceChildren(document.createTextNode('Which face? '), ...faces.map(f => {
    const b = document.createElement('button');
    b.textContent = `#${f.index} at ${f.box[0]},${f.box[1]}`;
    b.onclick = () => { box.replaceChildren(); pick(f.index); };
    return b;
  }));
}

$('#add-person').addEventListener('submit', async e => {
  e.preventDefault();
  try {
    await api('/api/people', { method: 'POST', json: { name: $('#new-person-name').value } });
    $('#new-person-name').value = '';
    loadPeople();
  } catch (err) { toast(err.message); }
});

// ---- events ----
async function loadEvents() {
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

// ---- visitors: recurring unknown faces ----
async function loadVisitors() {
  const visitors = await api('/api/visitors');
  $('#visitors').replaceChildren(...visitors.map(c => {
    const card = document.createElement('div');
    card.className = 'card visitor person';
    card.dataset.id = c.id;
    const img = document.createElement('img'); img.className = 'thumb'; img.alt = c.label;
    if (c.thumbnail) img.src = c.thumbnail;
    const body = document.createElement('div'); body.className = 'body';
    const title = document.createElement('strong'); title.textContent = c.label;
    const meta = document.createElement('div'); meta.className = 'muted small';
    meta.textContent = `seen ${c.sightings} times on ${c.cameras} camera${c.cameras === 1 ? '' : 's'}, last ${new Date(c.lastSeen).toLocaleString()}`;
    const form = document.createElement('form'); form.className = 'inline small';
    const input = document.createElement('input'); input.placeholder = 'Name this person'; input.required = true;
    input.setAttribute('aria-label', 'name ' + c.label);
    const b = document.createElement('button'); b.textContent = 'Name';
    form.append(input, b);
    form.onsubmit = async ev => {
      ev.preventDefault();
      try { await api('/api/visitors/' + c.id + '/name', { method: 'POST', json: { name: input.value } }); toast(input.value + ' enrolled'); loadVisitors(); }
      catch (err) { toast(err.message); }
    };
    // The visitor's faces: what the name will be given to.
    const faces = document.createElement('div'); faces.className = 'visitor-faces';
    api('/api/events?visitor=' + encodeURIComponent(c.id) + '&limit=6').then(evs => {
      faces.replaceChildren(...evs.map(ev => {
        const f = document.createElement('img'); f.src = ev.thumbnail; f.alt = 'a sighting of ' + c.label; f.width = 48; f.height = 48;
        return f;
      }));
    }).catch(() => {});
    body.append(title, meta, faces, form);
    card.append(img, body);
    return card;
  }));
  if (!visitors.length) $('#visitors').textContent = 'No recurring unknown faces.';
}

// ---- privacy ----
async function loadPrivacy() {
  const p = await api('/api/privacy');
  $('#privacy').innerHTML = '';
  const rows = [
    ['Face data leaves this device', p.faceDataLeavesDevice ? 'yes, to ' + p.sentTo.join(', ') : 'no (nothing is sent anywhere)'],
    ['Sightings kept for', p.retentionDays + ' days'],
    ['Sighting storage limit', (p.retentionBytes / 1048576).toFixed(0) + ' MiB'],
    ['Sightings stored now', p.storedEvents + ' (' + (p.storedEventBytes / 1048576).toFixed(1) + ' MiB)'],
  ];
  for (const [k, v] of rows) {
    const d = document.createElement('div'); d.className = 'row';
    const b = document.createElement('strong'); b.textContent = k + ': ';
    d.append(b, document.createTextNode(v));
    $('#privacy').append(d);
  }
  const note = document.createElement('p'); note.className = 'muted small';
  note.textContent = 'Export or delete everything about a person from their card on the People page.';
  $('#privacy').append(note);
  await loadIntegrations();
}

// ---- integrations (MQTT, webhooks): their state, shown under Privacy since they are where data goes ----
async function loadIntegrations() {
  const s = await api('/api/integrations');
  const box = $('#integrations');
  box.replaceChildren();
  const h = document.createElement('h2'); h.textContent = 'Integrations';
  box.append(h);
  const row = (label, value, cls) => {
    const d = document.createElement('div'); d.className = 'row';
    const b = document.createElement('strong'); b.textContent = label + ': ';
    const v = document.createElement('span'); v.textContent = value; if (cls) v.className = cls;
    d.append(b, v); box.append(d);
  };
  const m = s.mqtt;
  if (!m.enabled) row('MQTT', 'off (set mqtt.url)');
  else {
    row('MQTT ' + m.broker, m.connected ? 'connected' : 'not connected' + (m.lastError ? ': ' + m.lastError : ''), m.connected ? 'ok' : 'bad');
    row('Messages', m.sent + ' sent, ' + m.dropped + ' dropped');
  }
  if (!s.webhooks.length) row('Webhooks', 'none (configured in the config file)');
  for (const w of s.webhooks) {
    row('Webhook ' + w.url, w.sent + ' sent, ' + w.failed + ' failed, ' + w.dropped + ' dropped' + (w.lastError ? ' (last error: ' + w.lastError + ')' : ''),
        w.lastError ? 'bad' : 'ok');
  }
}

window.addEventListener('hashchange', route);
session().then(() => {
  route(); startEvents();
  setInterval(() => { if (!$('#view-live').hidden) loadCameras().catch(() => {}); }, 3000);
  setInterval(refreshTiles, 2000);
});
