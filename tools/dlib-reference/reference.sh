#!/usr/bin/env bash
# Regenerates src/test/resources/dlib/reference.json: the descriptors face-api.js itself computes
# (its FaceRecognitionNet on TensorFlow.js's CPU backend) for the chips DlibResnetTest feeds our
# ONNX build of the same network. Needs node, npm and ffmpeg; writes only under a temporary folder
# and the reference file. The chips: three faces cut from @vladmandic/face-api's demo/sample1.jpg
# (MIT) as lossless PNGs, and one of pseudo-random noise that the test makes with the same formula.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
res=$here/../../src/test/resources/dlib
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null
tar xzf vladmandic-face-api-1.7.15.tgz
npm init -y >/dev/null
npm install --silent --no-audit --no-fund @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 >/dev/null
cp package/dist/face-api.node-wasm.js "$here/ref.js" .
for f in face1 face2 face3; do
  ffmpeg -loglevel error -y -i "$res/$f.png" -f rawvideo -pix_fmt rgb24 "$f.raw"
done
# The noise chip: s = (s * 1103515245 + 12345) mod 2^31 from s = 1, each value s >> 23.
python3 -c "
import sys
s, out = 1, bytearray()
for _ in range(150 * 150 * 3):
    s = (s * 1103515245 + 12345) & 0x7fffffff
    out.append(s >> 23)
sys.stdout.buffer.write(out)" > noise.raw
cat face1.raw face2.raw face3.raw noise.raw > chips.raw
node ref.js package/model chips.raw 2>/dev/null | grep '^{' > "$res/reference.json"
echo "wrote $res/reference.json"
