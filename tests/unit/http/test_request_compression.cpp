#include <catch2/catch.hpp>

#include <zlib.h>

#include <string>

#include "engine/http/request_compression.hpp"

using lueng::http::BodyCompressor;

namespace {

std::string inflate_all(const std::string& in, int window_bits) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, window_bits) == Z_OK);
  std::string out(1 << 16, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(in.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  CHECK(inflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

}  // namespace

TEST_CASE("BodyCompressor: gzip and deflate (zlib format), in the order given") {
  const std::string text(5000, 'x');
  BodyCompressor compressor;
  std::string body = text, encoding, error;
  REQUIRE(compressor.compress("gzip", body, encoding, &error));
  CHECK(encoding == "gzip");
  CHECK(body.size() < 200);
  CHECK(static_cast<unsigned char>(body[0]) == 0x1f);
  CHECK(inflate_all(body, 15 + 16) == text);

  body = text;
  REQUIRE(compressor.compress(" deflate ", body, encoding, &error));
  CHECK(encoding == "deflate");
  CHECK(inflate_all(body, 15) == text);

  body = text;
  REQUIRE(compressor.compress("gzip, deflate", body, encoding, &error));
  CHECK(encoding == "gzip, deflate");
  CHECK(inflate_all(inflate_all(body, 15), 15 + 16) == text);

  // The streams are reset, not remade, for the next body.
  body = "second";
  REQUIRE(compressor.compress("gzip", body, encoding, &error));
  CHECK(inflate_all(body, 15 + 16) == "second");
}

TEST_CASE("BodyCompressor: an unknown algorithm is refused with k6's message") {
  BodyCompressor compressor;
  std::string body = "abc", encoding, error;
  CHECK_FALSE(compressor.compress("gzip, zstd", body, encoding, &error));
  CHECK(error == "unknown compression algorithm zstd, supported algorithms are [gzip deflate]");
  CHECK_FALSE(compressor.compress("lzw", body, encoding, &error));
}
