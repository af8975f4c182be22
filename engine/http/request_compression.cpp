#include "engine/http/request_compression.hpp"

namespace lueng::http {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

// A deflate stream per format, made on first use: 15 + 16 window bits write
// gzip, 15 zlib (what Go's compress/zlib writes).
struct BodyCompressor::Streams {
  z_stream gzip{}, zlib{};
  bool gzip_ready = false, zlib_ready = false;

  ~Streams() {
    if (gzip_ready) deflateEnd(&gzip);
    if (zlib_ready) deflateEnd(&zlib);
  }

  z_stream* get(bool gzip_format) {
    z_stream& stream = gzip_format ? gzip : zlib;
    bool& ready = gzip_format ? gzip_ready : zlib_ready;
    if (ready) {
      deflateReset(&stream);
      return &stream;
    }
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip_format ? 15 + 16 : 15, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
      return nullptr;
    ready = true;
    return &stream;
  }
};

BodyCompressor::BodyCompressor() = default;
BodyCompressor::~BodyCompressor() = default;
BodyCompressor::BodyCompressor(BodyCompressor&&) noexcept = default;
BodyCompressor& BodyCompressor::operator=(BodyCompressor&&) noexcept = default;

bool BodyCompressor::compress(std::string_view algorithms, std::string& body, std::string& encoding,
                              std::string* error) {
  encoding.clear();
  while (!algorithms.empty()) {
    size_t comma = algorithms.find(',');
    std::string_view name = trim(algorithms.substr(0, comma));
    algorithms =
        comma == std::string_view::npos ? std::string_view() : algorithms.substr(comma + 1);
    if (name != "gzip" && name != "deflate") {
      if (error)
        *error = "unknown compression algorithm " + std::string(name) +
                 ", supported algorithms are [gzip deflate]";
      return false;
    }
    if (!streams_) streams_ = std::make_unique<Streams>();
    z_stream* stream = streams_->get(name == "gzip");
    if (!stream) {
      if (error) *error = "compressing the body with " + std::string(name) + " failed";
      return false;
    }
    scratch_.resize(deflateBound(stream, static_cast<uLong>(body.size())));
    stream->next_in = reinterpret_cast<Bytef*>(body.data());
    stream->avail_in = static_cast<uInt>(body.size());
    stream->next_out = reinterpret_cast<Bytef*>(scratch_.data());
    stream->avail_out = static_cast<uInt>(scratch_.size());
    if (deflate(stream, Z_FINISH) != Z_STREAM_END) {
      if (error) *error = "compressing the body with " + std::string(name) + " failed";
      return false;
    }
    scratch_.resize(stream->total_out);
    body.swap(scratch_);
    if (!encoding.empty()) encoding += ", ";
    encoding.append(name);
  }
  return true;
}

}  // namespace lueng::http
