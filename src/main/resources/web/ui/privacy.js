// camserver's web UI, the Privacy page: retention, where data goes, the integrations' state. Plain JavaScript modules, no build step.
'use strict';

import { $, api, state } from './core.js';

// ---- privacy ----
export async function loadPrivacy() {
  const p = await api('/api/privacy');
  $('#privacy').innerHTML = '';
  const rows = [
    ['Face data leaves this device', p.faceDataLeavesDevice ? 'yes, to ' + p.sentTo.join(', ') : 'no (nothing is sent anywhere)'],
    ['Who sees the cameras', state.liveOpen ? 'anyone who can reach this server (auth.liveView: open)' : 'only after logging in (auth.liveView: login)'],
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

