// camserver's web UI, the Unknown page: visitors (recurring unknown faces) to name. Plain JavaScript modules, no build step.
'use strict';

import { $, api, plural, toast } from './core.js';

// ---- visitors: recurring unknown faces ----
export async function loadVisitors() {
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
    meta.textContent = `seen ${c.sightings === 1 ? 'once' : c.sightings + ' times'} on ${plural(c.cameras, 'camera')}, last ${new Date(c.lastSeen).toLocaleString()}`;
    const form = document.createElement('form'); form.className = 'inline small';
    const input = document.createElement('input'); input.placeholder = 'Name this person'; input.required = true;
    input.setAttribute('aria-label', 'name ' + c.label);
    const b = document.createElement('button'); b.textContent = 'Name';
    form.append(input, b);
    form.onsubmit = async ev => {
      ev.preventDefault();
      try { await api('/api/visitors/' + c.id + '/name', { method: 'POST', json: { name: input.value } }); toast(input.value + ' enrolled'); loadVisitors(); }
      catch (err) {
        // The name is someone's already: add these faces to them only if the user says they are the same person.
        if (err.status === 409 && err.body && err.body.existing && confirm(`${err.body.existing.name} exists already. Add these faces to ${err.body.existing.name}?`)) {
          try {
            await api('/api/visitors/' + c.id + '/name', { method: 'POST', json: { name: err.body.existing.name, merge: true } });
            toast('added to ' + err.body.existing.name); loadVisitors();
          } catch (again) { toast(again.message); }
        } else toast(err.message);
      }
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

