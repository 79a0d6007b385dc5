// The bytes the firmware puts on the wire, against shared/PROTOCOL.md.
#include "camcore.hpp"
#include "check.hpp"

using namespace camcore;

TEST(registrationRequestIsByteIdenticalToTheProtocol) {
  CHECK_EQ(registrationRequest("192.168.66.61", "0a1b2c3d"),
           std::string("GET /register?ip=192.168.66.61&token=0a1b2c3d HTTP/1.1\r\n"
                       "Host: microshift-cam-reg.local\r\n"
                       "Connection: close\r\n"
                       "\r\n"));
}

TEST(registrationKeyIsAppendedUrlEncoded) {
  CHECK_EQ(registrationRequest("192.168.66.61", "0a1b2c3d", "microshift-cam-reg.local", "s3cret key&x"),
           std::string("GET /register?ip=192.168.66.61&token=0a1b2c3d&key=s3cret%20key%26x HTTP/1.1\r\n"
                       "Host: microshift-cam-reg.local\r\nConnection: close\r\n\r\n"));
}

TEST(tokenIs128BitsAs32LowercaseHexDigits) {
  const uint8_t counting[kTokenBytes] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                         0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
  CHECK_EQ(formatToken(counting), std::string("00112233445566778899aabbccddeeff"));
  const uint8_t zeros[kTokenBytes] = {};
  CHECK_EQ(formatToken(zeros), std::string(32, '0'));
  uint8_t ones[kTokenBytes];
  for (auto& b : ones) b = 0xff;
  CHECK_EQ(formatToken(ones), std::string(32, 'f'));
  // every byte lands in its own two digits, in order
  uint8_t one[kTokenBytes] = {};
  one[15] = 0x01;
  CHECK_EQ(formatToken(one), std::string(31, '0') + "1");
}

TEST(mjpegFramingMatchesTheEsp32camLibrary) {
  CHECK_EQ(mjpegResponseHead(),
           std::string("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=e8b8c539-047d-4777-a985-fbba6edff11e\r\n\r\n"));
  CHECK_EQ(mjpegPartHeader(12345), std::string("Content-Type: image/jpeg\r\nContent-Length: 12345\r\n\r\n"));
  CHECK_EQ(mjpegPartTrailer(), std::string("\r\n--e8b8c539-047d-4777-a985-fbba6edff11e\r\n"));
}

TEST(mdnsNameComesFromTheMac) {
  CHECK_EQ(mdnsName(0x24a160123456ull), std::string("CAM_60123456"));  // low 32 bits
}
