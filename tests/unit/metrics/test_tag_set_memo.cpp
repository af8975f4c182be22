#include <catch2/catch.hpp>

#include <string>

#include "engine/metrics/tag_set_memo.hpp"
#include "engine/metrics/tags.hpp"

using namespace lueng::metrics;

namespace {

// Interns {name, status} through the memo; counts how often the tags are built.
struct Recorder {
  MetricCatalog catalog;
  Sink sink;
  TagSetMemo memo;
  uint32_t hint = 0;
  int builds = 0;

  explicit Recorder(size_t max_tag_sets = 20000, size_t slots = 256)
      : sink(catalog, max_tag_sets), memo(slots) {}

  TagSetId record(const std::string& name, int status) {
    memo.begin('h');
    memo.add(name);
    memo.add_number(static_cast<uint64_t>(status));
    return memo_intern(memo, &hint, sink, [&] {
      ++builds;
      encoded = encode_tags({{"name", name}, {"status", std::to_string(status)}});
      return std::string_view(encoded);
    });
  }
  std::string encoded;
};

}  // namespace

TEST_CASE("the same inputs find the remembered tag set without building it again") {
  Recorder r;
  TagSetId first = r.record("/a", 200);
  CHECK(r.builds == 1);
  for (int i = 0; i < 5; ++i) CHECK(r.record("/a", 200) == first);
  CHECK(r.builds == 1);
}

TEST_CASE("a changed input gives its own tag set") {
  Recorder r;
  TagSetId ok = r.record("/a", 200);
  TagSetId failed = r.record("/a", 500);
  TagSetId other = r.record("/b", 200);
  CHECK(ok != failed);
  CHECK(ok != other);
  CHECK(failed != other);
  CHECK(r.builds == 3);
  // Back and forth: each is found again, under the id the sink gave it.
  CHECK(r.record("/a", 500) == failed);
  CHECK(r.record("/a", 200) == ok);
  CHECK(r.record("/b", 200) == other);
  CHECK(r.builds == 3);
}

TEST_CASE("pieces are delimited: moving a boundary changes the key") {
  TagSetMemo memo;
  uint32_t hint = 0;
  TagSetId id = 0;
  memo.begin('x');
  memo.add("ab");
  memo.add("c");
  REQUIRE_FALSE(memo.find(&hint, &id));
  memo.remember(7, &hint);
  memo.begin('x');
  memo.add("a");
  memo.add("bc");
  CHECK_FALSE(memo.find(&hint, &id));
  memo.begin('y');  // another kind of sample with the same strings
  memo.add("ab");
  memo.add("c");
  CHECK_FALSE(memo.find(&hint, &id));
  memo.begin('x');
  memo.add("ab");
  memo.add("c");
  REQUIRE(memo.find(&hint, &id));
  CHECK(id == 7);
}

TEST_CASE("colliding keys in a one-slot memo replace each other and stay correct") {
  Recorder r(20000, 1);
  TagSetId a = r.record("/a", 200);
  TagSetId b = r.record("/b", 200);
  CHECK(r.record("/a", 200) == a);
  CHECK(r.record("/b", 200) == b);
  CHECK(r.builds == 4);
}

TEST_CASE("tag sets folded by the cardinality bound are not remembered") {
  Recorder r(2);
  r.record("/a", 200);
  r.record("/b", 200);
  TagSetId folded = r.record("/c", 200);
  CHECK(r.sink.overflowed_tag_sets() == 1);
  // Every sample of a refused set still counts as refused, as without the memo.
  CHECK(r.record("/c", 200) == folded);
  CHECK(r.record("/c", 200) == folded);
  CHECK(r.sink.overflowed_tag_sets() == 3);
  CHECK(r.builds == 5);
}

TEST_CASE("the key holds every piece exactly, whatever its length") {
  // Pieces are copied with wide moves: each length from 0 to 40 and a piece
  // longer than the buffer's first capacity, each with its last byte changed.
  TagSetMemo memo;
  for (size_t length = 0; length <= 600; length = length < 40 ? length + 1 : length * 3) {
    std::string piece(length, 'x');
    for (size_t i = 0; i < length; ++i) piece[i] = static_cast<char>('a' + i % 26);
    memo.begin('k');
    memo.add("before");
    memo.add(piece);
    memo.add_number(length);
    std::string expected = std::string(1, 'k');
    auto number = [&](uint64_t value) {
      expected.append(reinterpret_cast<const char*>(&value), 8);
    };
    number(6);
    expected += "before";
    number(length);
    expected += piece;
    number(length);
    CHECK(memo.key() == expected);

    uint32_t hint = 0;
    TagSetId id = 0;
    CHECK_FALSE(memo.find(&hint, &id));
    memo.remember(static_cast<TagSetId>(length + 1), &hint);
    CHECK(memo.find(&hint, &id));
    CHECK(id == length + 1);
    if (length == 0) continue;
    piece.back() = '#';  // the same length, the last byte changed: another key
    memo.begin('k');
    memo.add("before");
    memo.add(piece);
    memo.add_number(length);
    CHECK_FALSE(memo.find(&hint, &id));
  }
}

namespace {

// Interns {name, status} through the probing memo_intern: the pieces are
// compared with the hinted entry in place before any key is built.
struct ProbingRecorder {
  MetricCatalog catalog;
  Sink sink{catalog};
  TagSetMemo memo{1};  // one slot: every new key replaces the last
  uint32_t hint = 0;
  int builds = 0;
  std::string encoded;

  TagSetId record(char kind, const std::string& name, int status) {
    auto pieces = [&](auto& to) {
      to.add(name);
      to.add_number(static_cast<uint64_t>(status));
    };
    return memo_intern(memo, kind, &hint, sink, pieces, [&] {
      ++builds;
      encoded = encode_tags({{"name", name}, {"status", std::to_string(status)}, {"kind", {kind}}});
      return std::string_view(encoded);
    });
  }
};

}  // namespace

TEST_CASE("pieces compared in place find only the very key they make") {
  ProbingRecorder r;
  TagSetId a = r.record('h', "/a", 200);
  CHECK(r.builds == 1);
  CHECK(r.record('h', "/a", 200) == a);  // found by the probe
  CHECK(r.builds == 1);
  // Every difference misses: the status, a name one byte longer or shorter or
  // with its last byte changed, another kind with the same pieces.
  TagSetId failed = r.record('h', "/a", 500);
  CHECK(failed != a);
  CHECK(r.record('h', "/ab", 200) != a);
  CHECK(r.record('h', "/", 200) != a);
  CHECK(r.record('h', "/b", 200) != a);
  CHECK(r.record('c', "/a", 200) != a);
  CHECK(r.builds == 6);
  // The one slot now holds another key: the probe of "/a" misses, and the sink
  // gives the same id again.
  CHECK(r.record('h', "/a", 200) == a);
  CHECK(r.builds == 7);
}
