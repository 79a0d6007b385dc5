#include "camcore.hpp"

#include <cstdio>
#include <cstring>

namespace camcore {

std::string formatToken(const uint8_t (&random)[kTokenBytes]) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * kTokenBytes);
  for (uint8_t b : random) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

bool tokenEquals(const std::string& presented, const std::string& expected) {
  // Always walk the expected token's full length; fold the length difference into the result.
  unsigned char diff = presented.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i) {
    unsigned char p = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
    diff |= static_cast<unsigned char>(p ^ static_cast<unsigned char>(expected[i]));
  }
  return diff == 0 && !expected.empty();
}

std::string urlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string registrationRequest(const std::string& ip, const std::string& token, const std::string& host,
                                const std::string& key) {
  std::string r = "GET /register?ip=" + ip + "&token=" + token;
  if (!key.empty()) {
    r += "&key=" + urlEncode(key);
  }
  r += " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  return r;
}

Reply parseRegistrationReply(const char* data, size_t len) {
  // "HTTP/1.x NNN ..." then headers, a blank line, and the body ("ACK" from camserver).
  static const char prefix[] = "HTTP/1.";
  const size_t plen = sizeof prefix - 1;
  if (data == nullptr || len < plen + 5 || std::memcmp(data, prefix, plen) != 0) {
    return {ReplyKind::Malformed, 0};
  }
  size_t i = plen + 1;  // skip minor version digit
  if (i >= len || data[i] != ' ') {
    return {ReplyKind::Malformed, 0};
  }
  ++i;
  int status = 0;
  for (int d = 0; d < 3; ++d, ++i) {
    if (i >= len || data[i] < '0' || data[i] > '9') {
      return {ReplyKind::Malformed, 0};
    }
    status = status * 10 + (data[i] - '0');
  }
  if (status < 100 || status > 599) {
    return {ReplyKind::Malformed, 0};
  }
  return {status == 200 ? ReplyKind::Ack : ReplyKind::Refused, status};
}

static int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool queryParam(const std::string& query, const std::string& name, std::string& out, size_t maxLen) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    size_t eq = query.find('=', pos);
    if (eq != std::string::npos && eq < amp && query.compare(pos, eq - pos, name) == 0 && eq - pos == name.size()) {
      std::string v;
      for (size_t i = eq + 1; i < amp; ++i) {
        char c = query[i];
        if (c == '%') {
          // two hex digits must follow inside this value
          if (i + 2 >= amp) return false;
          int hi = hexValue(query[i + 1]);
          int lo = hexValue(query[i + 2]);
          if (hi < 0 || lo < 0) return false;
          v += static_cast<char>(hi * 16 + lo);
          i += 2;
        } else if (c == '+') {
          v += ' ';
        } else {
          v += c;
        }
        if (v.size() > maxLen) return false;
      }
      out = v;
      return true;
    }
    pos = amp + 1;
  }
  return false;
}

Access authorize(bool tokenPresent, const std::string& presented, const std::string& current) {
  if (!tokenPresent || presented.empty()) return Access::MissingToken;
  return tokenEquals(presented, current) ? Access::Allow : Access::WrongToken;
}

int accessStatus(Access a) { return a == Access::Allow ? 200 : 401; }

std::string mjpegResponseHead() {
  return std::string("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=") + kBoundary + "\r\n\r\n";
}

std::string mjpegPartHeader(size_t contentLength) {
  return "Content-Type: image/jpeg\r\nContent-Length: " + std::to_string(contentLength) + "\r\n\r\n";
}

std::string mjpegPartTrailer() { return std::string("\r\n--") + kBoundary + "\r\n"; }

Backoff::Backoff(uint32_t initialMs, uint32_t maxMs)
    : initial_(initialMs == 0 ? 1 : initialMs), max_(maxMs < initialMs ? initialMs : maxMs), next_(initial_) {}

uint32_t Backoff::next() {
  uint32_t now = next_;
  next_ = next_ > max_ / 2 ? max_ : next_ * 2;
  return now;
}

void Backoff::reset() { next_ = initial_; }

Registrar::Registrar(Config cfg, uint32_t nowMs)
    : cfg_(cfg), backoff_(cfg.backoffInitialMs, cfg.backoffMaxMs), nextAt_(nowMs) {}

bool Registrar::due(uint32_t nowMs) const {
  // Signed difference: correct across the millis() wrap for intervals under 24 days.
  return !streaming_ && static_cast<int32_t>(nowMs - nextAt_) >= 0;
}

void Registrar::onReply(uint32_t nowMs, const Reply& r) {
  if (r.kind == ReplyKind::Ack) {
    failures_ = 0;
    backoff_.reset();
    nextAt_ = nowMs + cfg_.intervalMs;
  } else {
    fail(nowMs);
  }
}

void Registrar::onUnreachable(uint32_t nowMs) { fail(nowMs); }

void Registrar::fail(uint32_t nowMs) {
  ++failures_;
  nextAt_ = nowMs + backoff_.next();
}

void Registrar::onStreamStart() { streaming_ = true; }

void Registrar::onStreamEnd(uint32_t nowMs) {
  streaming_ = false;
  nextAt_ = nowMs;  // register again at once: the server should know we are free
}

static bool validHostLabel(const std::string& s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string validate(const Config& c) {
  if (c.ssid.empty() || c.ssid.size() > 32) {
    return "WIFI_SSID must be 1-32 characters (was " + std::to_string(c.ssid.size()) + ")";
  }
  if (c.passphrase.size() < 8 || c.passphrase.size() > 63) {
    return "WIFI_PASSPHRASE must be 8-63 characters for WPA2 (was " + std::to_string(c.passphrase.size()) + ")";
  }
  if (!validHostLabel(c.serverName)) {
    return "SERVER_NAME must be a host name label of a-z 0-9 - (was '" + c.serverName + "')";
  }
  if (!c.registrationKey.empty() && c.registrationKey.size() < 8) {
    return "REGISTRATION_KEY must be empty or at least 8 characters (was " + std::to_string(c.registrationKey.size()) + ")";
  }
  static const int sizes[][2] = {{160, 120}, {320, 240}, {400, 296}, {400, 300}, {640, 480}, {800, 600},
                                 {1024, 768}, {1280, 1024}, {1600, 1200}};
  bool sizeOk = false;
  for (const auto& s : sizes) sizeOk = sizeOk || (s[0] == c.width && s[1] == c.height);
  if (!sizeOk) {
    return "FRAME_SIZE " + std::to_string(c.width) + "x" + std::to_string(c.height) +
           " is not an OV2640 size (160x120 ... 1600x1200)";
  }
  if (c.jpegQuality < 1 || c.jpegQuality > 100) {
    return "JPEG_QUALITY must be 1-100 (was " + std::to_string(c.jpegQuality) + ")";
  }
  if (c.maxFps < 1 || c.maxFps > 30) {
    return "MAX_FPS must be 1-30 (was " + std::to_string(c.maxFps) + ")";
  }
  return "";
}

std::string mdnsName(uint64_t mac) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "CAM_%08x", static_cast<unsigned>(mac & 0xffffffffu));
  return buf;
}

}  // namespace camcore
