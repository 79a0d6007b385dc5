// ESP32-CAM firmware: wires camcore (the tested logic) to the hardware. Nothing here decides
// anything camcore can decide: this file only talks to WiFi, mDNS, the camera and the sockets.
#include <Arduino.h>
#include <ESPmDNS.h>
#include <WebServer.h>
#include <WiFi.h>
#include <esp32cam.h>

#include "camcore.hpp"

#if __has_include("secrets.h")
#include "secrets.h"
#else
#include "secrets.example.h"
#endif

namespace {

constexpr int kFlashLed = 4;  // AI-Thinker flash LED
camcore::Config config;
std::string token;
WebServer server(80);
camcore::Registrar registrar({}, 0);
camcore::Backoff wifiBackoff(1000, 30000);
uint32_t wifiRetryAt = 0;

bool hasValidToken() {
  std::string presented = server.hasArg("token") ? server.arg("token").c_str() : "";
  camcore::Access a = camcore::authorize(server.hasArg("token"), presented, token);
  if (a != camcore::Access::Allow) {
    server.send(camcore::accessStatus(a), "text/plain", a == camcore::Access::MissingToken ? "token required" : "wrong token");
    return false;
  }
  return true;
}

void handleJpeg() {
  if (!hasValidToken()) return;
  bool flash = server.hasArg("flash") && server.arg("flash") == "1";  // only on explicit request
  if (flash) {
    digitalWrite(kFlashLed, HIGH);
    delay(150);
  }
  auto frame = esp32cam::capture();
  if (flash) digitalWrite(kFlashLed, LOW);
  if (frame == nullptr) {
    server.send(503, "text/plain", "capture failed");
    return;
  }
  server.setContentLength(frame->size());
  server.send(200, "image/jpeg");
  frame->writeTo(server.client());
}

void handleStream() {
  if (!hasValidToken()) return;
  WiFiClient client = server.client();
  std::string head = camcore::mjpegResponseHead();
  client.write(reinterpret_cast<const uint8_t*>(head.data()), head.size());
  registrar.onStreamStart();
  const uint32_t minInterval = 1000u / static_cast<uint32_t>(config.maxFps);
  uint32_t last = 0;
  while (client.connected()) {
    uint32_t now = millis();
    if (now - last < minInterval) {
      delay(minInterval - (now - last));
    }
    last = millis();
    auto frame = esp32cam::capture();
    if (frame == nullptr) break;
    std::string ph = camcore::mjpegPartHeader(frame->size());
    std::string tr = camcore::mjpegPartTrailer();
    if (client.write(reinterpret_cast<const uint8_t*>(ph.data()), ph.size()) != ph.size()) break;
    if (!frame->writeTo(client, 2000)) break;
    if (client.write(reinterpret_cast<const uint8_t*>(tr.data()), tr.size()) != tr.size()) break;
  }
  registrar.onStreamEnd(millis());  // register again at once: the server may pull again
}

void registerWithServer() {
  uint32_t now = millis();
  IPAddress ip = MDNS.queryHost(config.serverName.c_str(), 2000);
  if (ip == IPAddress(0, 0, 0, 0)) {
    registrar.onUnreachable(millis());
    return;
  }
  WiFiClient c;
  c.setTimeout(2);
  if (!c.connect(ip, 80, 2000)) {
    registrar.onUnreachable(millis());
    return;
  }
  std::string req = camcore::registrationRequest(WiFi.localIP().toString().c_str(), token,
                                                 config.serverName + ".local", config.registrationKey);
  c.write(reinterpret_cast<const uint8_t*>(req.data()), req.size());
  // Read at most 1 KB for at most ~1 s: a server that never answers cannot hang the loop.
  char reply[1024];
  size_t n = 0;
  uint32_t deadline = millis() + 1000;
  while (n < sizeof reply && static_cast<int32_t>(deadline - millis()) > 0) {
    int avail = c.available();
    if (avail > 0) {
      n += c.read(reinterpret_cast<uint8_t*>(reply + n), std::min(sizeof reply - n, static_cast<size_t>(avail)));
    } else if (!c.connected()) {
      break;
    } else {
      delay(10);
    }
  }
  c.stop();
  registrar.onReply(now, camcore::parseRegistrationReply(reply, n));
}

void keepWifi() {
  if (WiFi.status() == WL_CONNECTED) {
    wifiBackoff.reset();
    return;
  }
  if (static_cast<int32_t>(millis() - wifiRetryAt) < 0) return;
  WiFi.disconnect();
  WiFi.begin(config.ssid.c_str(), config.passphrase.c_str());
  wifiRetryAt = millis() + wifiBackoff.next();
}

}  // namespace

void setup() {
  Serial.begin(115200);
  pinMode(kFlashLed, OUTPUT);
  digitalWrite(kFlashLed, LOW);
  config.ssid = WIFI_SSID;
  config.passphrase = WIFI_PASSPHRASE;
  config.serverName = SERVER_NAME;
  config.registrationKey = REGISTRATION_KEY;
  config.width = FRAME_WIDTH;
  config.height = FRAME_HEIGHT;
  config.jpegQuality = JPEG_QUALITY;
  config.maxFps = MAX_FPS;
  std::string problem = camcore::validate(config);
  if (!problem.empty()) {
    // Settings are never printed, only what is wrong with them.
    for (;;) {
      Serial.printf("config error: %s\n", problem.c_str());
      delay(5000);
    }
  }

  esp32cam::Config cfg;
  cfg.setPins(esp32cam::pins::AiThinker);
  cfg.setResolution(esp32cam::Resolution::find(config.width, config.height));
  cfg.setBufferCount(2);
  cfg.setJpeg(config.jpegQuality);
  if (!esp32cam::Camera.begin(cfg)) {
    Serial.println("camera init failed; restarting");
    delay(2000);
    ESP.restart();
  }

  WiFi.persistent(false);
  WiFi.mode(WIFI_STA);
  WiFi.begin(config.ssid.c_str(), config.passphrase.c_str());
  while (WiFi.status() != WL_CONNECTED) {
    delay(250);
  }
  // The token comes from the hardware RNG only now: with the radio on, esp_fill_random() draws on
  // RF noise (a true random source); before it, the ESP32's RNG is only pseudo-random.
  uint8_t random[camcore::kTokenBytes];
  esp_fill_random(random, sizeof random);
  token = camcore::formatToken(random);
  MDNS.begin(camcore::mdnsName(ESP.getEfuseMac()).c_str());
  MDNS.addService("http", "tcp", 80);

  server.on("/stream", handleStream);
  server.on("/cam-hi.jpg", handleJpeg);
  server.begin();
  registrar = camcore::Registrar({}, millis());
  Serial.printf("camera up at %s as %s\n", WiFi.localIP().toString().c_str(), camcore::mdnsName(ESP.getEfuseMac()).c_str());
}

void loop() {
  keepWifi();
  if (WiFi.status() == WL_CONNECTED) {
    if (registrar.due(millis())) {
      registerWithServer();
    }
    server.handleClient();
  }
  delay(1);
}
