-- v9: the quality of the view a sample was enrolled from (face height in pixels, sharpness as the
-- variance of the Laplacian of the aligned face, yaw in degrees), shown in the face library; null
-- where it was not measured (older samples, samples taken from sightings without it).
ALTER TABLE samples ADD COLUMN face_height REAL;
ALTER TABLE samples ADD COLUMN sharpness REAL;
ALTER TABLE samples ADD COLUMN yaw REAL;
