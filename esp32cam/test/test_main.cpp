#include "check.hpp"

int main() {
  int passed = 0;
  int failed = 0;
  for (const auto& c : check::cases()) {
    int before = check::failures();
    c.fn();
    if (check::failures() == before) {
      ++passed;
    } else {
      ++failed;
      std::fprintf(stderr, "FAIL %s\n", c.name);
    }
  }
  std::printf("firmware: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
