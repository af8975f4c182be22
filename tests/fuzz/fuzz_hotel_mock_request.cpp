// What clients send tools/hotel-mock: requests parsed from bytes split into reads
// at points the input's last bytes choose (tools/hotel-mock/request_parser.cpp),
// each answered by the hotel service as a worker does (routing, query strings,
// JSON bodies, signatures) and serialized.
//
// Checked besides crashes: how the bytes are split never changes the requests
// parsed or the error answered, and every answer is a well-formed response.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "tools/hotel-mock/request_parser.hpp"
#include "tools/hotel-mock/service.hpp"

using namespace lueng::hotel_mock;

namespace {

struct Parsed {
  std::vector<Request> requests;
  int error_status = 0;
};

// Feeds `stream` as Connection does: reads of the given sizes (the last takes
// the rest), and after each request the bytes that followed it in its read.
Parsed parse(std::string_view stream, const std::vector<size_t>& reads) {
  RequestParser parser;
  Parsed out;
  size_t next = 0;
  std::string pending;
  while (!stream.empty() || !pending.empty()) {
    std::string chunk;
    if (!pending.empty()) {
      chunk = std::move(pending);
      pending.clear();
    } else {
      size_t size = next < reads.size() ? std::min(reads[next++], stream.size()) : stream.size();
      chunk.assign(stream.substr(0, size));
      stream.remove_prefix(size);
    }
    size_t consumed = 0;
    auto result = parser.feed(chunk.data(), chunk.size(), &consumed);
    (void)parser.take_continue();
    if (result == RequestParser::Result::kError) {
      out.error_status = parser.error_status();
      if (parser.error_message().empty()) std::abort();
      return out;
    }
    if (result == RequestParser::Result::kRequest) {
      if (consumed > chunk.size()) std::abort();
      out.requests.push_back(parser.request());
      if (out.requests.size() > 16) return out;
      pending = chunk.substr(consumed);
      parser.resume();
    }
  }
  return out;
}

bool same(const Request& a, const Request& b) {
  return a.method == b.method && a.target == b.target && a.headers == b.headers &&
         a.body == b.body && a.keep_alive == b.keep_alive;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  std::vector<size_t> reads;
  size_t read_count = input.ConsumeIntegralInRange<size_t>(0, 16);
  for (size_t i = 0; i < read_count; ++i)
    reads.push_back(input.ConsumeIntegralInRange<size_t>(1, 64));
  std::string stream = input.ConsumeRemainingBytesAsString();

  Parsed whole = parse(stream, {});
  Parsed split = parse(stream, reads);
  if (whole.error_status != split.error_status || whole.requests.size() != split.requests.size())
    std::abort();
  for (size_t i = 0; i < whole.requests.size(); ++i)
    if (!same(whole.requests[i], split.requests[i])) std::abort();

  // The signatures checked too: WhatsApp's and Mercado Pago's secrets are set.
  static Options options = [] {
    Options o;
    o.whatsapp_secret = "wa_app_secret";
    o.mp_secret = "test_secret";
    return o;
  }();
  Service service(options);
  Rng rng(1);
  std::string out;
  for (Request& request : whole.requests) {
    Reply reply = service.handle(request, rng);
    if (reply.response.status < 200 || reply.response.status > 599) std::abort();
    service.finished(reply, 1000);
    serialize(reply.response, request.keep_alive, out);
  }
  return 0;
}
