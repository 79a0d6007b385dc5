// camserver's web UI, the People page: the gallery, samples, enrolment, recent recognitions. Plain JavaScript modules, no build step.
'use strict';

import { $, api, qualityWords, state, toast } from './core.js';

// ---- people ----
export async function loadPeople() {
  if (!state.cameras.length) state.cameras = await api('/api/cameras');
  state.people = await api('/api/people');
  const box = $('#people');
  box.replaceChildren(...state.people.map(personCard));
  loadRecognitions().catch(() => {});
  loadCalibration().catch(() => {});
  const fp = $('#filter-person'), current = fp.value;
  fp.replaceChildren(new Option('anyone', ''), new Option('unknown only', '__unknown'), ...state.people.map(p => new Option(p.name, p.id)));
  fp.value = current;
}

/** What the gallery's own samples say: look-alikes a stranger may be taken for, and the threshold they suggest. */
async function loadCalibration() {
  const c = await api('/api/calibration');
  const box = $('#calibration');
  const lines = [...c.warnings];
  if (c.genuine.count >= 3 && Math.abs(c.suggestedThreshold - c.threshold) >= 0.03) {
    lines.push(`Your samples suggest a threshold of ${c.suggestedThreshold} (now ${c.threshold}): match.threshold.`);
  }
  box.replaceChildren(...lines.map(l => { const p = document.createElement('p'); p.textContent = l; return p; }));
  // Two people whose samples match each other as one person's would are likely one person entered
  // twice: offer the merge (the user decides; look-alikes are two people and stay apart).
  for (const pair of c.closestPairs.filter(x => x.similarity >= c.threshold)) {
    const a = state.people.find(p => p.name === pair.a), b = state.people.find(p => p.name === pair.b);
    if (!a || !b) continue;
    // Kept: the one with more samples, or the one entered first.
    const aStays = a.samples !== b.samples ? a.samples > b.samples : a.createdAt <= b.createdAt;
    const [from, into] = aStays ? [b, a] : [a, b];
    const row = document.createElement('p'); row.className = 'duplicate';
    const ask = document.createElement('button'); ask.type = 'button'; ask.className = 'merge-suggested small';
    ask.textContent = `Same person? Merge ${from.name} into ${into.name}`;
    ask.onclick = async () => {
      if (!confirm(`Move all of ${from.name}'s photos and sightings to ${into.name}, and remove ${from.name}?`)) return;
      try { await api('/api/people/' + from.id + '/merge', { method: 'POST', json: { into: into.id } }); toast(from.name + ' merged into ' + into.name); loadPeople(); }
      catch (e) { toast(e.message); }
    };
    row.append(ask);
    box.append(row);
  }
  box.hidden = !box.childElementCount;
}

function personCard(p) {
  const card = $('#person-card').content.firstElementChild.cloneNode(true);
  card.dataset.id = p.id; card.dataset.name = p.name;
  const img = $('.thumb', card);
  if (p.thumbnail) img.src = p.thumbnail; else img.style.visibility = 'hidden';
  img.alt = p.name;
  card.querySelectorAll('.open-person').forEach(a => { a.href = '#person/' + encodeURIComponent(p.id); });
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
  wireRename($('.name', card), $('.rename', card), p, () => loadPeople());
  const merge = $('.merge', card);
  merge.append(...state.people.filter(o => o.id !== p.id).map(o => new Option(o.name, o.id)));
  merge.onchange = async () => {
    const into = state.people.find(o => o.id === merge.value);
    if (!into) return;
    if (!confirm(`Move all of ${p.name}'s photos and sightings to ${into.name}, and remove ${p.name}?`)) { merge.value = ''; return; }
    try { await api('/api/people/' + p.id + '/merge', { method: 'POST', json: { into: into.id } }); toast(p.name + ' merged into ' + into.name); loadPeople(); }
    catch (e) { toast(e.message); merge.value = ''; }
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
  // Where and when the person was last seen (their latest sightings, in the same listing).
  const last = p.lastSeen || [];
  $('.last-seen', card).textContent = last.length
    ? 'last seen: ' + last.map(x => `${x.cameraName || x.camera}, ${new Date(x.at).toLocaleString()}`).join('; ')
    : 'not seen yet';
  const lib = $('.library', card);
  lib.addEventListener('toggle', () => { if (lib.open) loadSamples(p, card); });
  const fromCam = $('.from-camera', card);
  for (const c of state.cameras) fromCam.append(new Option('from ' + (c.name || c.id), c.id));
  fromCam.onchange = () => { if (fromCam.value) enrollFromCamera(p, fromCam.value, card, null); };
  return card;
}

/**
 * A name field and its Rename button: the button is enabled only once the name differs, Enter
 * saves, Esc puts the name back; a refused name (another person has it) is replaced by the old one.
 */
export function wireRename(input, button, p, onRenamed) {
  input.value = p.name;
  const changed = () => { const v = input.value.trim(); button.disabled = !v || v === p.name; };
  input.oninput = changed;
  input.onkeydown = e => {
    if (e.key === 'Enter') { e.preventDefault(); if (!button.disabled) button.click(); }
    if (e.key === 'Escape') { input.value = p.name; changed(); }
  };
  button.onclick = async e => {
    if (e) e.preventDefault();
    const name = input.value.trim();
    try {
      await api('/api/people/' + p.id, { method: 'PATCH', json: { name } });
      p.name = name; input.value = name; changed();
      toast('renamed to ' + name);
      if (onRenamed) onRenamed(name);
    } catch (err) {
      input.value = p.name; changed();
      toast(err.status === 409 ? err.message + ': use Merge into… if they are one person' : err.message);
    }
  };
  changed();
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
    cap.textContent = x.consistency ? Math.round(x.consistency.best * 100) + ' % like the others' + (x.consistency.outlier ? ' (stands out)' : '') : x.source;
    if (x.quality) {
      const q = document.createElement('div'); q.className = 'small muted quality';
      q.textContent = qualityWords(x.quality);
      q.title = `the view it was enrolled from: face ${x.quality.height} px high, sharpness ${x.quality.sharpness} (variance of the Laplacian), `
        + `head turned ${Math.abs(x.quality.yaw)}°`;
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
  loadNegatives(p, card).catch(e => toast(e.message));
}

/** Faces the user said are not this person ("Not X" on a sighting), each removable (undo). */
async function loadNegatives(p, card) {
  const negatives = await api('/api/people/' + p.id + '/negatives');
  $('.negatives-title', card).hidden = !negatives.length;
  $('.negatives', card).replaceChildren(...negatives.map(n => {
    const li = document.createElement('li');
    li.className = 'sample negative';
    const img = document.createElement('img');
    img.src = n.crop; img.alt = 'a face that is not ' + p.name; img.width = 72; img.height = 72;
    const undo = document.createElement('button');
    undo.textContent = 'Undo'; undo.className = 'small';
    undo.setAttribute('aria-label', 'this face may be ' + p.name + ' after all');
    undo.onclick = async () => {
      try { await api('/api/negatives/' + n.id, { method: 'DELETE' }); loadNegatives(p, card); } catch (e) { toast(e.message); }
    };
    li.append(img, undo);
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

async function enrollFromCamera(p, camera, card, face, frame) {
  const json = { camera };
  if (face !== null) json.face = face;
  if (frame) json.frame = frame; // the frame the faces were shown from, not the camera's next one
  try {
    const added = await api('/api/people/' + p.id + '/samples/from-camera', { method: 'POST', json });
    sampleVerdict(p, added);
    loadPeople();
  } catch (e) { offerFaces(e, card, i => enrollFromCamera(p, camera, card, i, e.body && e.body.frame)); }
}

/** Several faces in the picture: let the user pick which one is the person. */
function offerFaces(err, card, pick) {
  const faces = err.body && err.body.faces;
  if (!faces) { toast(err.message); return; }
  const box = $('.faces', card);
  box.replaceChildren(document.createTextNode('Which face? '), ...faces.map(f => {
    const b = document.createElement('button');
    b.className = 'face-choice';
    if (f.crop) {
      // The face itself, so nobody enrolls the wrong one by its coordinates.
      const img = document.createElement('img'); img.src = f.crop; img.width = 72; img.height = 72;
      img.alt = `face ${f.index + 1} of ${faces.length}`;
      b.append(img);
      b.setAttribute('aria-label', `enroll face ${f.index + 1} of ${faces.length}`);
    } else {
      b.textContent = `face ${f.index + 1} (from the left)`;
    }
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

