// Writes the firmware's bytes for camserver's cross-language wire test:
//   <out>/registration.bin   the registration request for ip=<ip>, token=<token>
//   <out>/stream.mjpeg       the /stream response (head + framed parts) for the given JPEGs
//   <out>/frames.txt         the JPEG paths in order, for the reader to compare against
//   <out>/token.txt          the token used: TOKEN, or with TOKEN "-" a fresh one made as the
//                            firmware makes it (formatToken of 16 random bytes)
// usage: wire_vectors OUTDIR IP TOKEN JPEG...
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "camcore.hpp"

static bool writeFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(f);
}

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s OUTDIR IP TOKEN JPEG...\n", argv[0]);
    return 64;
  }
  std::string out = argv[1];
  std::string token = argv[3];
  if (token == "-") {
    std::random_device rd;
    uint8_t bytes[camcore::kTokenBytes];
    for (auto& b : bytes) b = static_cast<uint8_t>(rd());
    token = camcore::formatToken(bytes);
  }
  if (!writeFile(out + "/token.txt", token) || !writeFile(out + "/registration.bin", camcore::registrationRequest(argv[2], token))) {
    std::fprintf(stderr, "cannot write %s/registration.bin\n", out.c_str());
    return 1;
  }
  std::string stream = camcore::mjpegResponseHead();
  std::string list;
  for (int i = 4; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 1;
    }
    std::string jpeg((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    stream += camcore::mjpegPartHeader(jpeg.size());
    stream += jpeg;
    stream += camcore::mjpegPartTrailer();
    list += std::string(argv[i]) + "\n";
  }
  if (!writeFile(out + "/stream.mjpeg", stream) || !writeFile(out + "/frames.txt", list)) {
    std::fprintf(stderr, "cannot write vectors to %s\n", out.c_str());
    return 1;
  }
  return 0;
}
