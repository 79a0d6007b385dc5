// A minimal test runner: TEST(name) registers a function; CHECK/CHECK_EQ record failures with
// file:line and keep going; main() runs all and prints "N passed, N failed".
#pragma once
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace check {
struct Case {
  const char* name;
  std::function<void()> fn;
};
inline std::vector<Case>& cases() {
  static std::vector<Case> c;
  return c;
}
inline int& failures() {
  static int f = 0;
  return f;
}
struct Register {
  Register(const char* n, std::function<void()> f) { cases().push_back({n, std::move(f)}); }
};
template <typename A, typename B>
void eq(const A& a, const B& b, const char* ea, const char* eb, const char* file, int line) {
  if (!(a == b)) {
    std::ostringstream os;
    os << file << ":" << line << ": CHECK_EQ(" << ea << ", " << eb << ") failed: [" << a << "] != [" << b << "]";
    std::fprintf(stderr, "  %s\n", os.str().c_str());
    ++failures();
  }
}
}  // namespace check

#define CHECK_CAT2(a, b) a##b
#define CHECK_CAT(a, b) CHECK_CAT2(a, b)
#define TEST(name)                                                                     \
  static void name();                                                                  \
  static check::Register CHECK_CAT(reg_, name)(#name, name);                           \
  static void name()
#define CHECK(cond)                                                                          \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);        \
      ++check::failures();                                                                   \
    }                                                                                        \
  } while (0)
#define CHECK_EQ(a, b) check::eq((a), (b), #a, #b, __FILE__, __LINE__)
