#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <zlib.h>

namespace lueng::http {

// k6's params.compression: the request body compressed with each algorithm of a
// comma-separated list in turn ("gzip", "deflate" (zlib format, as Go's and so
// k6's), "gzip, deflate"), and the Content-Encoding naming them in that order.
// One per request storage (HttpCall): its zlib streams are made on first use and
// reset for the next body, and its buffer keeps its capacity, so a VU that
// compresses every request allocates nothing once warm.
class BodyCompressor {
 public:
  BodyCompressor();
  ~BodyCompressor();
  BodyCompressor(BodyCompressor&&) noexcept;
  BodyCompressor& operator=(BodyCompressor&&) noexcept;

  // `body` is replaced by the compressed bytes and `encoding` set. False with
  // *error set for an unknown algorithm (k6's "zstd" and "br" are among them:
  // lueng has neither library).
  bool compress(std::string_view algorithms, std::string& body, std::string& encoding,
                std::string* error);

 private:
  struct Streams;
  std::unique_ptr<Streams> streams_;
  std::string scratch_;
};

}  // namespace lueng::http
