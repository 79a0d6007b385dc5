// camserver's web UI: the entry point. Each page registers its view; then the session, the route
// and the live refreshes start.
'use strict';

import { $, route, session, views } from './core.js';
import { loadCameras, loadLive, refreshTiles, startEvents } from './live.js';
import { loadPeople } from './people.js';
import { loadPersonPage } from './person.js';
import { loadEvents } from './timeline.js';
import { loadVisitors } from './visitors.js';
import { loadPrivacy } from './privacy.js';

Object.assign(views, { live: loadLive, people: loadPeople, person: loadPersonPage, events: loadEvents, unknown: loadVisitors, privacy: loadPrivacy });

window.addEventListener('hashchange', route);
session().then(() => {
  route(); startEvents();
  setInterval(() => { if (!$('#view-live').hidden) loadCameras().catch(() => {}); }, 3000);
  setInterval(refreshTiles, 2000);
});
