#include "camcore.hpp"
#include "check.hpp"

using namespace camcore;

static Config good() {
  Config c;
  c.ssid = "camwifi";
  c.passphrase = "thisisacamwifi";
  return c;
}

TEST(theDemoSettingsAreValid) { CHECK_EQ(validate(good()), std::string("")); }

TEST(badSettingsAreNamedWithTheirValues) {
  Config c = good();
  c.passphrase = "short";
  CHECK_EQ(validate(c), std::string("WIFI_PASSPHRASE must be 8-63 characters for WPA2 (was 5)"));
  c = good();
  c.ssid = "";
  CHECK_EQ(validate(c), std::string("WIFI_SSID must be 1-32 characters (was 0)"));
  c = good();
  c.width = 641;
  CHECK_EQ(validate(c), std::string("FRAME_SIZE 641x480 is not an OV2640 size (160x120 ... 1600x1200)"));
  c = good();
  c.jpegQuality = 0;
  CHECK_EQ(validate(c), std::string("JPEG_QUALITY must be 1-100 (was 0)"));
  c = good();
  c.maxFps = 60;
  CHECK_EQ(validate(c), std::string("MAX_FPS must be 1-30 (was 60)"));
  c = good();
  c.serverName = "bad name";
  CHECK_EQ(validate(c), std::string("SERVER_NAME must be a host name label of a-z 0-9 - (was 'bad name')"));
  c = good();
  c.registrationKey = "abc";
  CHECK_EQ(validate(c), std::string("REGISTRATION_KEY must be empty or at least 8 characters (was 3)"));
}
