#include "engine/metrics/sample_channel.hpp"

#include <cstdint>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using lueng::metrics::SampleChannel;
using lueng::metrics::SampleRecord;

TEST_CASE("a full channel drops and counts samples instead of waiting") {
  SampleChannel channel(8);
  REQUIRE(channel.capacity() == 8);
  for (int i = 0; i < 11; ++i) channel.push(1, 0, i, static_cast<uint64_t>(i));
  CHECK(channel.dropped() == 3);

  // The first eight arrived, in order; the three that found it full are gone.
  std::vector<SampleRecord> out(16);
  REQUIRE(channel.pop(out) == 8);
  for (int i = 0; i < 8; ++i) {
    CHECK(out[i].value == i);
    CHECK(out[i].time_ns == static_cast<uint64_t>(i));
    CHECK(out[i].metric == 1);
  }
  CHECK(channel.pop(out) == 0);

  // Room again once the consumer has taken them.
  channel.push(2, 5, 42, 100);
  REQUIRE(channel.pop(out) == 1);
  CHECK(out[0].value == 42);
  CHECK(out[0].tags == 5);
  CHECK(channel.dropped() == 3);
}

TEST_CASE("capacity rounds up to a power of two") {
  CHECK(SampleChannel(1000).capacity() == 1024);
  CHECK(SampleChannel(0).capacity() == 2);
}

TEST_CASE("tag sets reach the consumer in id order, each once") {
  SampleChannel channel(4);
  channel.define_tags(0,
                      "name\x1f"
                      "a\x1e");
  channel.define_tags(1, "");
  std::vector<std::string> known;
  channel.take_tag_sets(known);
  REQUIRE(known.size() == 2);
  CHECK(known[0] ==
        "name\x1f"
        "a\x1e");
  CHECK(known[1].empty());
  channel.define_tags(2, "x\x1fy\x1e");
  channel.take_tag_sets(known);
  REQUIRE(known.size() == 3);
  CHECK(known[2] == "x\x1fy\x1e");
}

TEST_CASE("a producer and a consumer thread lose nothing but what they count") {
  // A consumer that is slower than the producer: samples are delivered in order
  // or dropped, never duplicated or torn, and delivered + dropped = pushed.
  constexpr uint64_t kPushed = 200000;
  SampleChannel channel(256);
  std::thread producer([&] {
    for (uint64_t i = 1; i <= kPushed; ++i) {
      channel.define_tags(static_cast<uint32_t>(i % 3), "t");
      channel.push(7, static_cast<uint32_t>(i % 3), static_cast<double>(i), i);
    }
  });
  uint64_t delivered = 0, last = 0;
  bool ordered = true, intact = true;
  std::vector<SampleRecord> out(64);
  auto consume = [&] {
    size_t n = channel.pop(out);
    for (size_t k = 0; k < n; ++k) {
      ordered = ordered && out[k].time_ns > last;
      intact = intact && out[k].value == static_cast<double>(out[k].time_ns) &&
               out[k].metric == 7 && out[k].tags == out[k].time_ns % 3;
      last = out[k].time_ns;
    }
    delivered += n;
    return n;
  };
  while (last < kPushed && delivered + channel.dropped() < kPushed) {
    if (consume() == 0) std::this_thread::yield();
  }
  producer.join();
  while (consume() > 0) {
  }
  CHECK(ordered);
  CHECK(intact);
  CHECK(delivered + channel.dropped() == kPushed);
  CHECK(delivered > 0);
}
