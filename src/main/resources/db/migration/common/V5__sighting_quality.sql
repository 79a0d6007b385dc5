-- v5: the quality of the view each sighting was decided from (face height in pixels, sharpness
-- as the variance of the Laplacian of the aligned face, yaw in degrees); null for older sightings.
ALTER TABLE events ADD COLUMN face_height REAL;
ALTER TABLE events ADD COLUMN sharpness REAL;
ALTER TABLE events ADD COLUMN yaw REAL;
