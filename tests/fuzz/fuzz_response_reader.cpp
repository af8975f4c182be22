// The bytes a server sends back, as lueng's connections read them: llhttp with
// lueng's callbacks, header storage, body limits and gzip/deflate decoding
// (engine/http/response_reader.cpp). The input's last bytes choose the request
// (HEAD or not, body kept or discarded, maxResponseBodySize) and where the stream
// is split into reads; the rest is the stream.
//
// Checked besides crashes: how the bytes are split never changes the response
// read, the simple-head path (engine/http/simple_head.hpp) reads every response
// exactly as llhttp alone does, and so do keep-alive responses read one after
// another on one reader as Http1Connection does (engine/http/http1_connection.cpp),
// whose heads the memo of the last head (engine/http/simple_head_memo.hpp) answers
// when they repeat.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/http/ascii.hpp"
#include "engine/http/response_reader.hpp"
#include "engine/http/simple_head_memo.hpp"

using lueng::http::ErrorCode;
using lueng::http::read_simple_head;
using lueng::http::ResponseData;
using lueng::http::ResponseReader;
using lueng::http::SimpleHead;
using lueng::http::SimpleHeadMemo;

namespace {

struct Request {
  bool head = false;
  bool discard = false;
  uint64_t max_body = 0;
};

struct Outcome {
  bool complete = false;  // kComplete, or EOF that legitimately ended the body
  bool keep_alive = false;
  bool trailing_bytes = false;
  size_t consumed = 0;  // bytes of the stream fed, up to the read that finished it
};

// Feeds `stream` in reads of the given sizes (the last one takes what is left)
// until the response is complete or failed; EOF when the stream runs out first.
Outcome read_response(ResponseReader& reader, ResponseData& out, const Request& request,
                      std::string_view stream, const std::vector<size_t>& reads) {
  out.clear();
  reader.start(out, request.head, request.discard, request.max_body);
  Outcome outcome;
  size_t next = 0;
  while (outcome.consumed < stream.size()) {
    size_t size = next < reads.size() ? reads[next++] : stream.size();
    size = std::min(size, stream.size() - outcome.consumed);
    ResponseReader::Result result = reader.feed(stream.data() + outcome.consumed, size);
    outcome.consumed += size;
    if (result == ResponseReader::Result::kError) return outcome;
    if (result == ResponseReader::Result::kComplete) {
      outcome.complete = true;
      outcome.keep_alive = reader.keep_alive();
      outcome.trailing_bytes = reader.trailing_bytes();
      return outcome;
    }
  }
  outcome.complete = reader.finish();
  if (outcome.complete) outcome.keep_alive = reader.keep_alive();
  return outcome;
}

void check_headers(const ResponseData& out) {
  for (size_t i = 0; i < out.header_count(); ++i) {
    // Every stored header lies inside the header buffer.
    const auto& ref = out.headers[i];
    if (size_t{ref.name_offset} + ref.name_length > out.header_bytes.size() ||
        size_t{ref.value_offset} + ref.value_length > out.header_bytes.size())
      std::abort();
    (void)out.header(out.header_name(i));
    // Cookies are stored only when the reader did not vouch for their absence.
    if (out.no_set_cookie && lueng::http::ascii_iequals(out.header_name(i), "set-cookie"))
      std::abort();
  }
  (void)out.header("content-type");
}

void expect_same(const ResponseData& a, const Outcome& oa, const ResponseData& b,
                 const Outcome& ob) {
  if (oa.complete != ob.complete || a.status != b.status || a.error_code != b.error_code ||
      a.error != b.error || a.http_minor != b.http_minor)
    std::abort();
  if (oa.complete && oa.keep_alive != ob.keep_alive) std::abort();
  // A malformed head fails the request whatever it held; llhttp hands over the
  // part of a header name before a bad byte only when a read ends there.
  if (a.error_code == ErrorCode::kMalformedResponse) return;
  if (a.headers.size() != b.headers.size()) std::abort();
  for (size_t i = 0; i < a.header_count(); ++i)
    if (a.header_name(i) != b.header_name(i) || a.header_value(i) != b.header_value(i))
      std::abort();
  if (a.error_code == ErrorCode::kNone && a.body != b.body) std::abort();
}

bool same_read(SimpleHeadMemo& memo, const std::string& wire) {
  std::vector<ResponseData::HeaderRef> recalled, parsed;
  SimpleHead recalled_head, parsed_head;
  bool read = memo.read(wire.data(), wire.size(), recalled, recalled_head);
  if (read != read_simple_head(wire.data(), wire.size(), parsed, parsed_head)) return false;
  return !read || (recalled == parsed && recalled_head == parsed_head);
}

// The memo answers as read_simple_head() does, for the head it remembered and
// for that head with other Content-Length digits (more, fewer, a leading zero,
// none, too many), which move every offset after them.
void check_memo(const std::string& stream) {
  std::vector<ResponseData::HeaderRef> headers;
  SimpleHead head;
  if (!read_simple_head(stream.data(), stream.size(), headers, head)) return;
  std::string digits = stream.substr(head.content_length_at, head.content_length_digits);
  std::string before = stream.substr(0, head.content_length_at);
  std::string after = stream.substr(head.content_length_at + head.content_length_digits);
  SimpleHeadMemo memo;
  for (const std::string& other : {digits, digits, digits + "7", digits.substr(1), "0" + digits,
                                   std::string(), std::string(19, '9'), digits})
    if (!same_read(memo, before + other + after)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  Request request;
  uint8_t flags = input.ConsumeIntegral<uint8_t>();
  request.head = flags & 1;
  request.discard = flags & 2;
  // No limit, a small one (bodies and inflated bodies pass it), or any.
  if (flags & 4) request.max_body = input.ConsumeIntegralInRange<uint64_t>(1, 64);
  if (flags & 8) request.max_body = input.ConsumeIntegral<uint64_t>();
  std::vector<size_t> reads;
  size_t read_count = input.ConsumeIntegralInRange<size_t>(0, 16);
  for (size_t i = 0; i < read_count; ++i)
    reads.push_back(input.ConsumeIntegralInRange<size_t>(1, 64));
  std::string stream = input.ConsumeRemainingBytesAsString();
  // Each input on its own: what an earlier one left in the memo plays no part.
  SimpleHeadMemo::for_this_thread().forget();
  check_memo(stream);

  ResponseReader whole_reader;
  ResponseData whole;
  Outcome whole_outcome = read_response(whole_reader, whole, request, stream, {});
  check_headers(whole);

  ResponseReader llhttp_reader;
  llhttp_reader.set_simple_heads(false);
  ResponseData by_llhttp;
  Outcome llhttp_outcome = read_response(llhttp_reader, by_llhttp, request, stream, {});
  expect_same(whole, whole_outcome, by_llhttp, llhttp_outcome);
  if (whole_outcome.trailing_bytes != llhttp_outcome.trailing_bytes) std::abort();

  ResponseReader reader;
  ResponseData out;
  std::string_view rest = stream;
  for (int response = 0; response < 8; ++response) {
    Outcome outcome = read_response(reader, out, request, rest, reads);
    check_headers(out);
    if (response == 0) {
      expect_same(whole, whole_outcome, out, outcome);
    } else {
      ResponseReader next_by_llhttp;
      next_by_llhttp.set_simple_heads(false);
      ResponseData expected;
      Outcome expected_outcome = read_response(next_by_llhttp, expected, request, rest, reads);
      expect_same(out, outcome, expected, expected_outcome);
      if (outcome.consumed != expected_outcome.consumed) std::abort();
    }
    // Connection reuses the reader only after a complete response that ended
    // exactly at the end of a read.
    if (!outcome.complete || !outcome.keep_alive || outcome.trailing_bytes) break;
    rest.remove_prefix(outcome.consumed);
    if (rest.empty()) break;
  }
  return 0;
}
