// Execution segments: the tables of k6's lib/execution_segment_test.go with
// k6's expected values, plus the properties lueng's distributed runs rely on.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/common/execution_segment.hpp"

using lueng::ExecutionSegment;
using lueng::ExecutionTuple;
using lueng::Fraction;

namespace {

ExecutionSegment segment(const std::string& text) {
  ExecutionSegment out;
  std::string problem = lueng::parse_execution_segment(text, out);
  INFO(text << ": " << problem);
  REQUIRE(problem.empty());
  return out;
}

std::vector<Fraction> sequence(const std::string& text) {
  std::vector<Fraction> out;
  std::string problem = lueng::parse_segment_sequence(text, out);
  INFO(text << ": " << problem);
  REQUIRE(problem.empty());
  return out;
}

ExecutionTuple tuple(const std::string& seg, const std::string& seq) {
  ExecutionTuple out;
  std::string problem = ExecutionTuple::make(segment(seg), sequence(seq), out);
  INFO(seg << " in " << seq << ": " << problem);
  REQUIRE(problem.empty());
  return out;
}

}  // namespace

TEST_CASE("segments parse as k6 reads them (TestExecutionSegmentUnmarshalText)") {
  const std::map<std::string, std::string> good = {{"0:1", "0:1"},
                                                   {"0.5:0.75", "1/2:3/4"},
                                                   {"1/2:3/4", "1/2:3/4"},
                                                   {"50%:75%", "1/2:3/4"},
                                                   {"2/4:75%", "1/2:3/4"},
                                                   {"75%", "0:3/4"},
                                                   {"", "0:1"},
                                                   {"2/3", "0:2/3"},
                                                   {"0:0.25", "0:1/4"},
                                                   {"5e-1:1", "1/2:1"},
                                                   {"1/3:2/3", "1/3:2/3"},
                                                   {".5:1.0", "1/2:1"}};
  for (const auto& [input, expected] : good) {
    INFO(input);
    ExecutionSegment parsed = segment(input);
    CHECK(parsed.text() == expected);
    CHECK(segment(parsed.text()) == parsed);  // its text reads back as itself
  }
  for (const char* bad : {"125%", "1a5%", "1a5", "1a5%:2/3", "125%:250%", "55%:50%", "1/2:1/2",
                          "-1:1", "0:2", "1/0", "12.5%", "0:1/3:2/3", " 1/2", "1/-2", "0x1/2"}) {
    INFO(bad);
    ExecutionSegment out;
    CHECK_FALSE(lueng::parse_execution_segment(bad, out).empty());
  }
}

TEST_CASE("segment errors say what is wrong") {
  ExecutionSegment out;
  CHECK(lueng::parse_execution_segment("55%:50%", out) ==
        "segment start (11/20) must be less than its end (1/2)");
  CHECK(lueng::parse_execution_segment("0:3/2", out) ==
        "segment end value can't be more than 1 but was 3/2");
  CHECK(lueng::parse_execution_segment("1a5", out) ==
        "'1a5' is not a valid percentage, decimal, fraction or interval value");
}

TEST_CASE("sequences parse as k6 reads them (TestExecutionSegmentStringSequences)") {
  struct Case {
    std::string seq;
    std::vector<std::string> segments;
    bool can_reverse;
  };
  const std::vector<Case> good = {
      {"0.5,1", {"1/2:1"}, false},
      {"1/2,1", {"1/2:1"}, true},
      {"1/3,2/3", {"1/3:2/3"}, true},
      {"0,1/3,2/3", {"0:1/3", "1/3:2/3"}, true},
      {"0,1/3,2/3,1", {"0:1/3", "1/3:2/3", "2/3:1"}, true},
      {"0.5,0.7", {"1/2:7/10"}, false},
      {"0.5,0.7,1", {"1/2:7/10", "7/10:1"}, false},
      {"0,1/13,2/13,1/3,1/2,3/4,1",
       {"0:1/13", "1/13:2/13", "2/13:1/3", "1/3:1/2", "1/2:3/4", "3/4:1"},
       true},
  };
  for (const Case& c : good) {
    INFO(c.seq);
    std::vector<Fraction> points = sequence(c.seq);
    REQUIRE(points.size() == c.segments.size() + 1);
    for (size_t i = 0; i < c.segments.size(); ++i)
      CHECK((ExecutionSegment{points[i], points[i + 1]}.text()) == c.segments[i]);
    if (c.can_reverse) CHECK(lueng::sequence_text(points) == c.seq);
  }
  std::vector<Fraction> none;
  CHECK(lueng::parse_segment_sequence("", none).empty());
  CHECK(none.empty());
  for (const char* bad :
       {"0.5", "1,1", "-0.5,1", "1/2,1/2", "1/2,1/3", "0,1,1/2", "0,,1", "0,1,"}) {
    INFO(bad);
    std::vector<Fraction> out;
    CHECK_FALSE(lueng::parse_segment_sequence(bad, out).empty());
  }
}

TEST_CASE("ScaleInt64 of a tuple (TestExecutionTupleScale, TestBigScale)") {
  CHECK(tuple("0.5", "").scale(2) == 1);
  CHECK(tuple("0.5", "").scale(3) == 2);
  CHECK(tuple("0.5:1.0", "").scale(2) == 1);
  CHECK(tuple("0.5:1.0", "").scale(3) == 1);
  CHECK(tuple("0.5", "0,0.5,1").scale(2) == 1);
  CHECK(tuple("0.5", "0,0.5,1").scale(3) == 2);
  CHECK(tuple("0.5:1.0", "0,0.5,1").scale(2) == 1);
  CHECK(tuple("0.5:1.0", "0,0.5,1").scale(3) == 1);
  CHECK(tuple("0:7/20", "0,7/20,7/10,1").scale(50) == 18);
}

TEST_CASE("striped offsets (TestGetStripedOffsets)") {
  struct Case {
    std::string seq, seg;
    int64_t start;
    std::vector<int64_t> offsets;
    int64_t lcd;
  };
  const std::vector<Case> cases = {
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0:0.3", 0, {4, 3, 3}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.3:0.5", 1, {4, 6}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.5:0.6", 2, {10}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, {10}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.8:0.9", 8, {10}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, {10}, 10},
      {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, {10}, 10},
      {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0:0.2", 1, {4, 6}, 10},
      {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, {10}, 10},
      {"0,0.2,0.5", "0:0.2", 3, {6, 4}, 10},
      {"0,0.2,0.5", "0.2:0.5", 1, {4, 2, 4}, 10},
      {"0,2/5,4/5", "0:2/5", 0, {3, 2}, 5},
      {"0,2/5,4/5", "2/5:4/5", 1, {3, 2}, 5},
      {"", "0:0.2", 1, {5}, 5},
      {"", "0:1/5", 1, {5}, 5},
      {"", "0:2/10", 1, {5}, 5},
      {"", "0:0.4", 1, {2, 3}, 5},
      {"", "0:2/5", 1, {2, 3}, 5},
      {"", "2/5:4/5", 1, {3, 2}, 5},
      {"", "0:4/10", 1, {2, 3}, 5},
      {"", "1/10:5/10", 1, {2, 2, 4, 2}, 10},
  };
  for (const Case& c : cases) {
    INFO("seq " << c.seq << " segment " << c.seg);
    ExecutionTuple t = tuple(c.seg, c.seq);
    CHECK(t.start() == c.start);
    CHECK(t.offsets() == c.offsets);
    CHECK(t.lcd() == c.lcd);
  }
}

TEST_CASE("least common denominators (TestSequenceLCD)") {
  const std::map<std::string, int64_t> cases = {{"0,0.3,0.5,0.6,0.7,0.8,0.9,1", 10},
                                                {"0,0.1,0.5,0.6,0.7,0.8,0.9,1", 10},
                                                {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", 10},
                                                {"0,1/3,5/6", 6},
                                                {"0,1/3,4/7", 21}};
  for (const auto& [seq, lcd] : cases) {
    INFO(seq);
    CHECK(tuple(seq.substr(0, seq.find(',', 2)).replace(1, 1, ":"), seq).lcd() == lcd);
  }
}

TEST_CASE("scaling and re-cutting by a value (TestNewExecutionTuple)") {
  struct Case {
    std::string seg, seq;
    std::map<int64_t, int64_t> scale;
    // value -> (scale -> result) after for_value(value); empty: for_value fails
    std::map<int64_t, std::map<int64_t, int64_t>> recut;
  };
  const std::map<int64_t, std::map<int64_t, int64_t>> whole_recut = {
      {50, {{50, 50}, {1, 1}, {0, 0}}}, {1, {{50, 50}, {1, 1}, {0, 0}}}, {0, {}}};
  const std::vector<Case> cases = {
      {"", "", {{50, 50}, {1, 1}, {0, 0}}, whole_recut},
      {"0:1", "", {{50, 50}, {1, 1}, {0, 0}}, whole_recut},
      {"0:1", "0,1", {{50, 50}, {1, 1}, {0, 0}}, whole_recut},
      {"0:1/3",
       "0,1/3,2/3,1",
       {{50, 17}, {3, 1}, {2, 1}, {1, 1}, {0, 0}},
       {{50, {{50, 17}, {1, 1}, {0, 0}}},
        {20, {{50, 18}, {1, 1}, {0, 0}}},
        {3, {{50, 17}, {1, 1}, {0, 0}}},
        {2, {{50, 25}, {1, 1}, {0, 0}}},
        {1, {{50, 50}, {1, 1}, {0, 0}}},
        {0, {}}}},
      {"1/3:2/3",
       "0,1/3,2/3,1",
       {{50, 17}, {3, 1}, {2, 1}, {1, 0}, {0, 0}},
       {{50, {{50, 17}, {1, 0}, {0, 0}}},
        {20, {{50, 17}, {1, 0}, {0, 0}}},
        {3, {{50, 17}, {1, 0}, {0, 0}}},
        {2, {{50, 25}, {1, 0}, {0, 0}}},
        {1, {}},
        {0, {}}}},
      {"2/3:1",
       "0,1/3,2/3,1",
       {{50, 16}, {3, 1}, {2, 0}, {1, 0}, {0, 0}},
       {{50, {{50, 16}, {1, 0}, {0, 0}}},
        {20, {{50, 15}, {1, 0}, {0, 0}}},
        {3, {{50, 16}, {1, 0}, {0, 0}}},
        {2, {}},
        {1, {}},
        {0, {}}}},
  };
  for (const Case& c : cases) {
    INFO("segment '" << c.seg << "' sequence '" << c.seq << "'");
    ExecutionTuple t = tuple(c.seg, c.seq);
    for (const auto& [value, expected] : c.scale) CHECK(t.scale(value) == expected);
    for (const auto& [value, scales] : c.recut) {
      INFO("for_value(" << value << ")");
      std::optional<ExecutionTuple> recut = t.for_value(value);
      if (scales.empty()) {
        CHECK_FALSE(recut.has_value());
        continue;
      }
      REQUIRE(recut.has_value());
      for (const auto& [value2, expected] : scales) CHECK(recut->scale(value2) == expected);
    }
  }
  // TestGetNewExecutionTupleBesedOnValue
  CHECK(lueng::sequence_text(tuple("0:1/3", "0,1/3,2/3,1").for_value(20)->sequence()) ==
        "0,7/20,7/10,1");
}

TEST_CASE("segmented index (TestSegmentedIndex: full, half, the other half, strange)") {
  // k6's SegmentedIndex counts from 1; global_index() is the 0-based form of its
  // Next(): local k (0-based) is at global unscaled(k + 1) - 1.
  auto globals = [](const ExecutionTuple& t, int n) {
    std::vector<int64_t> out;
    for (int k = 0; k < n; ++k) out.push_back(t.global_index(k) + 1);
    return out;
  };
  CHECK(globals(tuple("0:1", ""), 3) == std::vector<int64_t>{1, 2, 3});
  CHECK(globals(tuple("0:1/2", "0,1/2,1"), 3) == std::vector<int64_t>{1, 3, 5});  // start 0, lcd 2
  CHECK(globals(tuple("1/2:1", "0,1/2,1"), 3) == std::vector<int64_t>{2, 4, 6});  // start 1, lcd 2
  // k6's "strange" index has start 1 and offsets {4, 3}; the real tuple 2/5:4/5
  // (start 1, offsets {3, 2}, lcd 5, from TestGetStripedOffsets) is walked the same way.
  ExecutionTuple strange = tuple("2/5:4/5", "");
  REQUIRE(strange.start() == 1);
  REQUIRE(strange.offsets() == std::vector<int64_t>{3, 2});
  CHECK(globals(strange, 5) == std::vector<int64_t>{2, 5, 7, 10, 12});
  // GoTo(v): the number of owned units at or below v (1-based) is scale(v).
  CHECK(strange.scale(1) == 0);
  CHECK(strange.scale(2) == 1);
  CHECK(strange.scale(4) == 1);
  CHECK(strange.scale(5) == 2);
  CHECK(strange.scale(6) == 2);
  CHECK(strange.scale(7) == 3);
  CHECK(strange.scale(10) == 4);
}

TEST_CASE("the segments of a sequence add up to the whole, never wobbling") {
  for (const char* seq :
       {"0,1/3,2/3,1", "0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0,1/13,2/13,1/3,1/2,3/4,1", "0,1/7,1/2,1"}) {
    INFO(seq);
    std::vector<Fraction> points = sequence(seq);
    std::vector<ExecutionTuple> parts;
    for (size_t i = 0; i + 1 < points.size(); ++i) {
      ExecutionTuple t;
      REQUIRE(ExecutionTuple::make({points[i], points[i + 1]}, points, t).empty());
      parts.push_back(t);
    }
    std::vector<int64_t> last(parts.size(), 0);
    for (int64_t value = 0; value < 300; ++value) {
      int64_t sum = 0;
      for (size_t i = 0; i < parts.size(); ++i) {
        int64_t share = parts[i].scale(value);
        CHECK(share >= last[i]);
        last[i] = share;
        sum += share;
      }
      CHECK(sum == value);
    }
    // Global indices: disjoint and together every index.
    std::set<int64_t> seen;
    for (const ExecutionTuple& t : parts)
      for (int64_t k = 0; k < t.scale(420); ++k) CHECK(seen.insert(t.global_index(k)).second);
    CHECK(seen.size() == 420);
    CHECK(*seen.rbegin() == 419);
    // Re-cut by a value, the shares still add up.
    for (int64_t value : {1, 7, 10, 31}) {
      int64_t sum = 0;
      for (const ExecutionTuple& t : parts)
        if (auto recut = t.for_value(value)) sum += recut->scale(1000);
      CHECK(sum == 1000);
    }
  }
}

TEST_CASE("a segment must be one of its sequence, and splits have a finest grain") {
  ExecutionTuple out;
  CHECK(ExecutionTuple::make(segment("1/3:1/2"), sequence("0,1/3,2/3,1"), out) ==
        "segment 1/3:1/2 is not one of the sequence 0,1/3,2/3,1");
  CHECK_FALSE(
      ExecutionTuple::make(segment("0:1/999983"), sequence("0,1/999983,1/999979,1"), out).empty());
  // 20,000 equal parts would take 400 million striping steps.
  std::vector<Fraction> many;
  for (int64_t i = 0; i <= 20'000; ++i) many.push_back(Fraction::of(i, 20'000));
  CHECK_FALSE(ExecutionTuple::make({many[0], many[1]}, many, out).empty());
  many.clear();
  for (int64_t i = 0; i <= lueng::kMaxEqualParts; ++i)
    many.push_back(Fraction::of(i, lueng::kMaxEqualParts));
  CHECK(ExecutionTuple::make({many[1], many[2]}, many, out).empty());
  CHECK(out.scale(lueng::kMaxEqualParts * 3) == 3);
  CHECK(ExecutionTuple::make(segment("1/2:3/4"), sequence("1/2,3/4"), out).empty());
  CHECK(lueng::sequence_text(out.sequence()) == "0,1/2,3/4,1");
  CHECK(out.index() == 1);
  CHECK(ExecutionTuple().whole());
  CHECK(ExecutionTuple().global_index(41) == 41);
}
