// camserver's web UI, the Unknown page: groups of unknown faces, those seen at least twice first, as a grid
// of faces to name one by one or several at once, hide or forget. Plain JavaScript modules, no build step.
'use strict';

import { $, api, plural, toast } from './core.js';

const picked = new Set();

export async function loadVisitors() {
  const hidden = $('#visitors-show-hidden').checked;
  const all = await api('/api/visitors' + (hidden ? '?hidden=true' : ''));
  picked.clear();
  // The groups seen at least twice are the faces to name; those seen once (often a passer-by) wait below.
  const twice = all.filter(c => c.sightings >= 2), once = all.filter(c => c.sightings < 2);
  $('#visitors').replaceChildren(...twice.map(visitorCard));
  if (!twice.length) $('#visitors').textContent = hidden ? 'No hidden groups seen more than once.' : 'No unknown faces seen more than once yet.';
  $('#visitors-once').replaceChildren(...once.map(visitorCard));
  $('#visitors-once-box').hidden = !once.length;
  $('#visitors-once-title').textContent = `Seen once (${once.length})`;
  if (!twice.length && once.length) $('#visitors-once-box').open = true;
  $('#visitors-hide').textContent = hidden ? 'Show selected again' : 'Hide selected';
  pickedChanged();
}

function visitorCard(c) {
  const card = document.createElement('div');
  card.className = 'card visitor person';
  card.dataset.id = c.id;
  const pick = document.createElement('label'); pick.className = 'small';
  const box = document.createElement('input'); box.type = 'checkbox'; box.className = 'pick';
  box.setAttribute('aria-label', 'select ' + c.label);
  box.onchange = () => { box.checked ? picked.add(c.id) : picked.delete(c.id); card.classList.toggle('selected', box.checked); pickedChanged(); };
  pick.append(box, ' select');
  const img = document.createElement('img'); img.className = 'thumb'; img.alt = c.label;
  if (c.thumbnail) img.src = c.thumbnail;
  const body = document.createElement('div'); body.className = 'body';
  const title = document.createElement('strong'); title.textContent = c.label;
  const meta = document.createElement('div'); meta.className = 'muted small';
  meta.textContent = `seen ${c.sightings === 1 ? 'once' : c.sightings + ' times'} on ${plural(c.cameras, 'camera')}, last ${new Date(c.lastSeen).toLocaleString()}`;
  const form = document.createElement('form'); form.className = 'inline small';
  const input = document.createElement('input'); input.placeholder = 'Name this person'; input.required = true;
  input.setAttribute('aria-label', 'name ' + c.label);
  const b = document.createElement('button'); b.textContent = 'Name';
  form.append(input, b);
  form.onsubmit = async ev => {
    ev.preventDefault();
    const done = await nameGroups([c.id], input.value.trim());
    if (done) loadVisitors();
  };
  // The group's faces: what the name will be given to.
  const faces = document.createElement('div'); faces.className = 'visitor-faces';
  api('/api/events?visitor=' + encodeURIComponent(c.id) + '&limit=8').then(evs => {
    faces.replaceChildren(...evs.map(ev => {
      const f = document.createElement('img'); f.src = ev.thumbnail; f.alt = 'a sighting of ' + c.label; f.width = 48; f.height = 48;
      return f;
    }));
  }).catch(() => {});
  body.append(title, meta, faces, form);
  card.append(img, pick, body);
  return card;
}

function pickedChanged() {
  const n = picked.size;
  $('#visitors-name-go').disabled = !n;
  $('#visitors-hide').disabled = $('#visitors-forget').disabled = !n;
  $('#visitors-selected').textContent = n ? plural(n, 'group') + ' selected' : '';
}

/**
 * Names groups as one person. A name that is someone's already is not silently added to them: the
 * user is asked first; after the first group the person exists, so the others join it.
 */
async function nameGroups(ids, name) {
  if (!name) { toast('type a name first'); return 0; }
  let done = 0;
  let merge = false;
  for (const id of ids) {
    try {
      await api('/api/visitors/' + id + '/name', { method: 'POST', json: { name, merge: merge || done > 0 } });
      done++;
    } catch (err) {
      if (err.status === 409 && err.body && err.body.existing && !merge
          && confirm(`${err.body.existing.name} exists already. Add ${ids.length === 1 ? 'these faces' : 'the selected groups'} to ${err.body.existing.name}?`)) {
        merge = true;
        try { await api('/api/visitors/' + id + '/name', { method: 'POST', json: { name: err.body.existing.name, merge: true } }); done++; }
        catch (again) { toast(again.message); return done; }
      } else { toast(err.message); return done; }
    }
  }
  toast(ids.length === 1 ? name + ' enrolled' : `${plural(done, 'group')} named ${name}`);
  return done;
}

$('#visitors-name').onsubmit = async e => {
  e.preventDefault();
  if (await nameGroups([...picked], $('#visitors-name-input').value.trim())) { $('#visitors-name-input').value = ''; loadVisitors(); }
};

$('#visitors-hide').onclick = async () => {
  const showAgain = $('#visitors-show-hidden').checked;
  let done = 0;
  for (const id of picked) {
    try { await api('/api/visitors/' + id + '/hide', { method: 'POST', json: { hidden: !showAgain } }); done++; } catch (e) { toast(e.message); }
  }
  toast(`${plural(done, 'group')} ${showAgain ? 'shown again' : 'hidden'}`);
  loadVisitors();
};

$('#visitors-forget').onclick = async () => {
  if (!confirm(`Forget ${plural(picked.size, 'group')}? Their sightings stay in the history as unknown.`)) return;
  let done = 0;
  for (const id of picked) {
    try { await api('/api/visitors/' + id, { method: 'DELETE' }); done++; } catch (e) { toast(e.message); }
  }
  toast(`${plural(done, 'group')} forgotten`);
  loadVisitors();
};

$('#visitors-show-hidden').onchange = () => loadVisitors().catch(e => toast(e.message));
