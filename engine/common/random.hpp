#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lueng {

// The largest run seed: 2^53 - 1, so that every seed is exactly a Lua number and
// a JSON number any reader keeps whole.
inline constexpr uint64_t kMaxRandomSeed = (uint64_t{1} << 53) - 1;

// xoshiro256** (Blackman and Vigna), seeded through splitmix64: math.random's
// generator. Small enough to keep one per VU; the algorithm is fixed, so a seed
// gives the same numbers in every lueng version.
class RandomGenerator {
 public:
  // Any 64-bit value; splitmix64 spreads it over the whole state.
  void seed(uint64_t seed);
  // The generator of `stream` (a VU id; 0 for the state's own code) of a run
  // seed: different streams of one seed draw unrelated sequences.
  void seed_stream(uint64_t run_seed, uint64_t stream);

  uint64_t next();
  // Uniform in [0, 1), 53 random bits.
  double next_double();
  // Uniform in [0, bound), without modulo bias; bound > 0.
  uint64_t below(uint64_t bound);

 private:
  uint64_t state_[4] = {};
};

// A fresh run seed in [0, kMaxRandomSeed] from the operating system.
uint64_t os_random_seed();

// A seed as written by a user ("42"): a whole number from 0 to kMaxRandomSeed.
std::optional<uint64_t> parse_random_seed(std::string_view text);

}  // namespace lueng
