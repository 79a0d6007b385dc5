// camcore: the ESP32-CAM firmware's logic, in plain C++17 with no Arduino dependency, so that
// it can be unit-tested on a host with g++ (see ../../test). The sketch only wires it to the
// hardware (WiFi, mDNS, the camera, the web server).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace camcore {

// ---- Tokens -------------------------------------------------------------------------------

/// Bytes of randomness in the per-boot token: 128 bits, so that guessing it is hopeless even for a
/// guest on the camera Wi-Fi who can try it against /stream as often as they like. (The demo
/// firmware used one esp_random() call, 32 bits.)
constexpr size_t kTokenBytes = 16;

/// The per-boot token: kTokenBytes random bytes as 32 lowercase hex digits. camserver accepts any
/// 1-64 characters of [A-Za-z0-9_-], so an unmodified demo camera's 8 digits still register.
std::string formatToken(const uint8_t (&random)[kTokenBytes]);

/// Constant-time comparison of a presented token with the current one: the time taken does not
/// depend on how many leading characters match, so the token cannot be guessed byte by byte.
bool tokenEquals(const std::string& presented, const std::string& expected);

// ---- Registration request ----------------------------------------------------------------

/// The registration request, byte for byte as shared/PROTOCOL.md gives it. With a non-empty
/// key, "&key=<url-encoded key>" follows the token (camserver's optional shared key).
std::string registrationRequest(const std::string& ip, const std::string& token,
                                const std::string& host = "microshift-cam-reg.local",
                                const std::string& key = "");

/// Percent-encodes everything but unreserved characters (RFC 3986).
std::string urlEncode(const std::string& s);

/// What the server's reply to a registration said.
enum class ReplyKind { Ack, Refused, Malformed };

struct Reply {
  ReplyKind kind;
  int status;  // HTTP status, 0 when malformed
};

/// Parses whatever arrived (at most ~1 KB, possibly cut short, possibly garbage). Never reads
/// past len; never loops on input.
Reply parseRegistrationReply(const char* data, size_t len);

// ---- Camera-side request handling ----------------------------------------------------------

/// Extracts and URL-decodes a query parameter; false if absent or longer than maxLen.
bool queryParam(const std::string& query, const std::string& name, std::string& out, size_t maxLen = 64);

/// The outcome of a request for /stream or /cam-hi.jpg.
enum class Access { Allow, MissingToken, WrongToken };

Access authorize(bool tokenPresent, const std::string& presented, const std::string& current);

/// HTTP status for an access outcome (200 or 401).
int accessStatus(Access a);

// ---- MJPEG framing (the yoursunny/esp32cam library's, which camserver parses) -------------

constexpr const char* kBoundary = "e8b8c539-047d-4777-a985-fbba6edff11e";

std::string mjpegResponseHead();
std::string mjpegPartHeader(size_t contentLength);
/// Written after each frame: the delimiter follows the part (none precedes the first).
std::string mjpegPartTrailer();

// ---- Backoff -----------------------------------------------------------------------------

/// Exponential backoff: initial, doubled per failure, capped. No jitter source on purpose (the
/// caller adds esp_random() jitter); deterministic for tests.
class Backoff {
 public:
  Backoff(uint32_t initialMs, uint32_t maxMs);
  uint32_t next();  // the delay to wait now; doubles the one after
  void reset();
  uint32_t peek() const { return next_; }

 private:
  uint32_t initial_;
  uint32_t max_;
  uint32_t next_;
};

// ---- Registration schedule -----------------------------------------------------------------

/// When to register. The camera registers at boot, every intervalMs while nobody streams from
/// it, right after a stream ends, and backs off (capped) while the server is unreachable or
/// answers badly. Times are millis() values; unsigned arithmetic survives the 49-day wrap.
class Registrar {
 public:
  struct Config {
    uint32_t intervalMs = 15000;
    uint32_t backoffInitialMs = 1000;
    uint32_t backoffMaxMs = 30000;
  };

  Registrar(Config cfg, uint32_t nowMs);

  /// True when a registration should be sent now.
  bool due(uint32_t nowMs) const;

  /// Record the outcome of an attempt made at nowMs.
  void onReply(uint32_t nowMs, const Reply& r);
  void onUnreachable(uint32_t nowMs);

  void onStreamStart();
  void onStreamEnd(uint32_t nowMs);

  bool streaming() const { return streaming_; }
  uint32_t nextAt() const { return nextAt_; }
  uint32_t failures() const { return failures_; }

 private:
  void fail(uint32_t nowMs);

  Config cfg_;
  Backoff backoff_;
  uint32_t nextAt_;
  uint32_t failures_ = 0;
  bool streaming_ = false;
};

// ---- Configuration ------------------------------------------------------------------------

struct Config {
  std::string ssid;
  std::string passphrase;
  std::string serverName = "microshift-cam-reg";  // resolved as <name>.local by mDNS
  std::string registrationKey;                     // optional
  int width = 640;
  int height = 480;
  int jpegQuality = 90;  // 1..100, higher is better
  int maxFps = 13;       // frame-rate cap; OV2640 gives ~13 at VGA
};

/// Empty when valid; otherwise what is wrong, naming the setting and its value.
std::string validate(const Config& c);

/// The camera's mDNS name: "CAM_" + 8 hex digits from the low 32 bits of the MAC.
std::string mdnsName(uint64_t mac);

}  // namespace camcore
