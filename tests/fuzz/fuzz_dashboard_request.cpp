// What clients send the live dashboard's server (engine/dashboard/server.cpp):
// request heads parsed from bytes split into reads at points the input's first
// bytes choose (engine/dashboard/request_head.cpp).
//
// Checked besides crashes: how the bytes are split never changes the outcome
// (complete or error, method, target, Host, error status), an error always says why
// with 400 or 431, and no target outgrows the 8 KiB head bound.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/dashboard/request_head.hpp"

using lueng::dashboard::RequestHead;

namespace {

struct Outcome {
  RequestHead::Result result = RequestHead::Result::kNeedMore;
  std::string method, target, host;
  int status = 0;
};

Outcome parse(std::string_view stream, const std::vector<size_t>& reads) {
  RequestHead head;
  Outcome out;
  size_t next = 0;
  while (!stream.empty()) {
    size_t size = next < reads.size() ? std::min(reads[next++], stream.size()) : stream.size();
    out.result = head.feed(stream.data(), size);
    stream.remove_prefix(size);
  }
  if (out.result == RequestHead::Result::kComplete) {
    out.method = head.method();
    out.target = head.target();
    out.host = head.host();
    if (out.method.empty() || out.target.size() > RequestHead::kMaxHeadBytes) std::abort();
  }
  if (out.result == RequestHead::Result::kError) {
    out.status = head.error_status();
    if ((out.status != 400 && out.status != 431) || head.error_message().empty()) std::abort();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  std::vector<size_t> reads;
  size_t read_count = input.ConsumeIntegralInRange<size_t>(0, 16);
  for (size_t i = 0; i < read_count; ++i)
    reads.push_back(input.ConsumeIntegralInRange<size_t>(1, 64));
  std::string stream = input.ConsumeRemainingBytesAsString();
  Outcome whole = parse(stream, {});
  Outcome split = parse(stream, reads);
  if (whole.result != split.result || whole.method != split.method ||
      whole.target != split.target || whole.host != split.host || whole.status != split.status)
    std::abort();
  return 0;
}
