// When the camera registers: at boot, every 15 s while idle, right after a stream, and with a
// capped exponential backoff while the server cannot be reached or answers badly.
#include <random>

#include "camcore.hpp"
#include "check.hpp"

using namespace camcore;

static Reply ack() { return {ReplyKind::Ack, 200}; }

TEST(registersAtBootThenEveryFifteenSecondsWhileIdle) {
  Registrar r({}, 1000);
  CHECK(r.due(1000));
  r.onReply(1000, ack());
  CHECK(!r.due(15999));
  CHECK(r.due(16000));
  r.onReply(16000, ack());
  CHECK_EQ(r.nextAt(), 31000u);
}

TEST(noRegistrationWhileStreamingAndAtOnceWhenTheStreamEnds) {
  Registrar r({}, 0);
  r.onReply(0, ack());
  r.onStreamStart();
  CHECK(!r.due(100000));
  r.onStreamEnd(100500);
  CHECK(r.due(100500));
}

TEST(backoffGrowsAndCapsWhenTheServerIsUnreachable) {
  Registrar r({15000, 1000, 30000}, 0);
  uint32_t now = 0;
  uint32_t expected[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (uint32_t e : expected) {
    CHECK(r.due(now));
    r.onUnreachable(now);
    CHECK_EQ(r.nextAt() - now, e);
    now = r.nextAt();
  }
  CHECK_EQ(r.failures(), 8u);
  r.onReply(now, ack());
  CHECK_EQ(r.failures(), 0u);
  CHECK_EQ(r.nextAt() - now, 15000u);
  r.onUnreachable(r.nextAt());
  CHECK_EQ(r.nextAt() - (now + 15000), 1000u);  // backoff starts over after a success
}

TEST(aRefusalBacksOffLikeAnOutage) {
  Registrar r({}, 0);
  r.onReply(0, {ReplyKind::Refused, 403});
  CHECK_EQ(r.nextAt(), 1000u);
  r.onReply(1000, {ReplyKind::Malformed, 0});
  CHECK_EQ(r.nextAt(), 3000u);
}

TEST(scheduleSurvivesTheMillisWrap) {
  uint32_t nearWrap = 0xffffff00u;
  Registrar r({}, nearWrap);
  r.onReply(nearWrap, ack());
  CHECK(!r.due(nearWrap + 100));   // still before
  CHECK(!r.due(100));              // wrapped, 356 ms later: still not due
  CHECK(r.due(nearWrap + 15000));  // wrapped value, due
}

TEST(malformedRepliesAreClassifiedWithoutReadingPastTheEnd) {
  const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nACK";
  CHECK(parseRegistrationReply(ok, sizeof ok - 1).kind == ReplyKind::Ack);
  const char refused[] = "HTTP/1.1 403 Forbidden\r\n\r\nip outside";
  Reply f = parseRegistrationReply(refused, sizeof refused - 1);
  CHECK(f.kind == ReplyKind::Refused);
  CHECK_EQ(f.status, 403);
  CHECK(parseRegistrationReply(nullptr, 0).kind == ReplyKind::Malformed);
  CHECK(parseRegistrationReply("", 0).kind == ReplyKind::Malformed);
  CHECK(parseRegistrationReply("HTTP/1.1 2", 10).kind == ReplyKind::Malformed);
  CHECK(parseRegistrationReply("HTTP/1.1 20x OK", 15).kind == ReplyKind::Malformed);
  CHECK(parseRegistrationReply("SSH-2.0-OpenSSH\r\n", 17).kind == ReplyKind::Malformed);
  CHECK(parseRegistrationReply("HTTP/1.1 999 What", 17).kind == ReplyKind::Malformed);
}

TEST(arbitraryReplyBytesNeverHangOrCrashTheLoop) {
  // Random and truncated replies: every one is classified (under ASan/UBSan), and the schedule
  // always moves forward, so the loop can never spin on a bad server.
  std::mt19937 rng(42);
  Registrar r({}, 0);
  uint32_t now = 0;
  const std::string good = "HTTP/1.1 200 OK\r\n\r\nACK";
  for (int i = 0; i < 20000; ++i) {
    std::string buf;
    if (i % 3 == 0) {
      buf = good.substr(0, rng() % (good.size() + 1));
    } else {
      size_t n = rng() % 64;
      for (size_t k = 0; k < n; ++k) buf += static_cast<char>(rng() & 0xff);
    }
    Reply rep = parseRegistrationReply(buf.data(), buf.size());
    r.onReply(now, rep);
    CHECK(static_cast<int32_t>(r.nextAt() - now) > 0);  // the next attempt is always in the future
    now = r.nextAt();
  }
}
