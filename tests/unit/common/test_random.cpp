#include <catch2/catch.hpp>

#include <set>

#include "engine/common/random.hpp"

using lueng::kMaxRandomSeed;
using lueng::RandomGenerator;

TEST_CASE("the generator is xoshiro256** seeded by splitmix64, the same in every version") {
  // Computed by an independent implementation that gives the published outputs
  // of both algorithms (xoshiro256** from {1, 2, 3, 4}: 11520, 0, 1509978240...).
  RandomGenerator generator;
  generator.seed(0);
  CHECK(generator.next() == 0x99ec5f36cb75f2b4);
  CHECK(generator.next() == 0xbf6e1f784956452a);
  CHECK(generator.next() == 0x1a5f849d4933e6e0);

  generator.seed_stream(42, 1);
  CHECK(generator.next() == 0x4180ab06d19cb0c9);
  CHECK(generator.next() == 0x1ef53ab21c4c82ef);
  generator.seed_stream(42, 0);
  CHECK(generator.next() == 0xc986fd807e5b8ab5);
}

TEST_CASE("streams of one run seed, and run seeds of one stream, draw different numbers") {
  std::set<uint64_t> firsts;
  for (uint64_t run_seed : {0, 1, 42})
    for (uint64_t stream = 0; stream < 100; ++stream) {
      RandomGenerator generator;
      generator.seed_stream(run_seed, stream);
      firsts.insert(generator.next());
    }
  CHECK(firsts.size() == 300);
}

TEST_CASE(
    "floats are from 0 up to 1 (excluded) and bounded draws below their bound, reaching every "
    "value") {
  RandomGenerator generator;
  generator.seed(7);
  double low = 1, high = 0;
  for (int i = 0; i < 100000; ++i) {
    double draw = generator.next_double();
    REQUIRE(draw >= 0);
    REQUIRE(draw < 1);
    low = std::min(low, draw);
    high = std::max(high, draw);
  }
  CHECK(low < 0.001);
  CHECK(high > 0.999);

  int counts[6] = {};
  for (int i = 0; i < 60000; ++i) {
    uint64_t draw = generator.below(6);
    REQUIRE(draw < 6);
    ++counts[draw];
  }
  for (int count : counts) CHECK((count > 9000 && count < 11000));
  CHECK(generator.below(1) == 0);
  uint64_t huge = (uint64_t{1} << 63) + 1;  // most draws are rejected once
  for (int i = 0; i < 1000; ++i) REQUIRE(generator.below(huge) < huge);
}

TEST_CASE("seeds from the system are fresh and fit a Lua number") {
  std::set<uint64_t> seeds;
  for (int i = 0; i < 20; ++i) {
    uint64_t seed = lueng::os_random_seed();
    REQUIRE(seed <= kMaxRandomSeed);
    seeds.insert(seed);
  }
  CHECK(seeds.size() == 20);
}

TEST_CASE("seeds written by users are whole numbers from 0 to 2^53 - 1") {
  CHECK(*lueng::parse_random_seed("0") == 0);
  CHECK(*lueng::parse_random_seed("42") == 42);
  CHECK(*lueng::parse_random_seed("9007199254740991") == kMaxRandomSeed);
  for (const char* bad : {"", "-1", "+1", "1.5", "4 2", "abc", "42x", "9007199254740992",
                          "99999999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(lueng::parse_random_seed(bad));
  }
}
