// face-api.js's own FaceRecognitionNet (dlib's ResNet) on raw 150x150 RGB chips: prints
// {"descriptors": [[128 floats], ...]} for DlibResnetTest to compare our ONNX build against.
// Usage: node ref.js MODEL_DIR CHIPS.raw   (see reference.sh)
const fs = require('fs');
const faceapi = require('./face-api.node-wasm.js');
const tf = faceapi.tf;
(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  await faceapi.nets.faceRecognitionNet.loadFromDisk(process.argv[2]);
  const raw = fs.readFileSync(process.argv[3]);
  const size = 150 * 150 * 3;
  const descriptors = [];
  for (let i = 0; i < raw.length / size; i++) {
    const chip = tf.tensor3d(new Uint8Array(raw.buffer, raw.byteOffset + i * size, size), [150, 150, 3], 'int32');
    descriptors.push(Array.from(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chip)));
    chip.dispose();
  }
  console.log(JSON.stringify({ faceapi: faceapi.version, backend: tf.getBackend(), descriptors }));
})();
