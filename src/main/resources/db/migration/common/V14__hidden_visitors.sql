-- v14: a group of unknown faces the user hid (a neighbour, the postman: nobody to name). It keeps
-- collecting sightings, so it stays one group, but the Unknown page leaves it out until shown again.
ALTER TABLE clusters ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;
