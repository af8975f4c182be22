#include "engine/common/random.hpp"

#include <sys/random.h>

#include <bit>
#include <charconv>
#include <chrono>
#include <random>

namespace lueng {

namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

}  // namespace

void RandomGenerator::seed(uint64_t seed) {
  for (uint64_t& word : state_) word = splitmix64(seed);
}

void RandomGenerator::seed_stream(uint64_t run_seed, uint64_t stream) {
  // splitmix64 is a bijection of its input, so for one run seed every stream
  // starts from a different point.
  uint64_t mixed = splitmix64(run_seed) + stream;
  seed(splitmix64(mixed));
}

uint64_t RandomGenerator::next() {
  uint64_t* s = state_;
  uint64_t result = std::rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = std::rotl(s[3], 45);
  return result;
}

double RandomGenerator::next_double() {
  return static_cast<double>(next() >> 11) * 0x1p-53;
}

uint64_t RandomGenerator::below(uint64_t bound) {
  // Draws below the largest multiple of bound are uniform modulo bound.
  uint64_t rejected = (0 - bound) % bound;  // 2^64 mod bound
  for (;;) {
    uint64_t draw = next();
    if (draw >= rejected) return draw % bound;
  }
}

uint64_t os_random_seed() {
  uint64_t value = 0;
  if (getrandom(&value, sizeof value, 0) != static_cast<ssize_t>(sizeof value)) {
    // No getrandom (an old kernel, a sandbox): the clock still differs per run.
    std::random_device device;
    value = (uint64_t{device()} << 32) ^ device() ^
            static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return value & kMaxRandomSeed;
}

std::optional<uint64_t> parse_random_seed(std::string_view text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value > kMaxRandomSeed)
    return std::nullopt;
  return value;
}

}  // namespace lueng
