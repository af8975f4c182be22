#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/http/response.hpp"
#include "engine/http/simple_head.hpp"

namespace lueng::http {

// read_simple_head() for a stream of heads that repeat: a load test asks one
// server the same things over and over, and its answers' heads differ, if at all,
// in the Content-Length and once a second in the Date. The memo keeps the last
// simple head read; a head that is the same bytes, or the same but for the digits
// of its Content-Length, is answered from it with two comparisons instead of a
// parse (about a seventh of the instructions). Any other head is parsed and
// remembered instead. The answers are read_simple_head()'s, whatever the input
// (tests/fuzz/fuzz_response_reader.cpp compares the two).
//
// Constant-initialized and without a destructor, so that a thread_local one costs
// no guard: each worker thread keeps its own (for_this_thread()).
class SimpleHeadMemo {
 public:
  static constexpr size_t kMaxBytes = 768;   // longer heads are parsed every time
  static constexpr size_t kMaxHeaders = 24;  // so are heads with more headers

  constexpr SimpleHeadMemo() = default;

  static SimpleHeadMemo& for_this_thread();

  bool read(const char* data, size_t length, std::vector<ResponseData::HeaderRef>& headers,
            SimpleHead& head);
  void forget() { head_.length = 0; }
  // Heads answered from the memo so far.
  uint64_t recalls() const { return recalls_; }

 private:
  // The remembered head but for the digits of its Content-Length.
  bool recall_with_other_length(const char* data, size_t length,
                                std::vector<ResponseData::HeaderRef>& headers,
                                SimpleHead& head) const;
  void remember(const char* data, const std::vector<ResponseData::HeaderRef>& headers,
                const SimpleHead& head);

  std::array<char, kMaxBytes> bytes_{};
  std::array<ResponseData::HeaderRef, kMaxHeaders> headers_{};
  SimpleHead head_{};  // its length 0: nothing remembered
  size_t header_count_ = 0;
  uint64_t recalls_ = 0;
};

}  // namespace lueng::http
