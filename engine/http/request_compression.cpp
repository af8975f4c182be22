#include "engine/http/request_compression.hpp"

#include <zlib.h>

namespace lueng::http {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// window_bits: 15 + 16 for gzip, 15 for zlib (what Go's compress/zlib writes).
bool deflate_into(const std::string& in, std::string& out, int window_bits) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return false;
  out.resize(deflateBound(&stream, static_cast<uLong>(in.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(in.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return status == Z_STREAM_END;
}

}  // namespace

bool compress_body(std::string_view algorithms, std::string& body, std::string& scratch,
                   std::string& encoding, std::string* error) {
  encoding.clear();
  while (!algorithms.empty()) {
    size_t comma = algorithms.find(',');
    std::string_view name = trim(algorithms.substr(0, comma));
    algorithms =
        comma == std::string_view::npos ? std::string_view() : algorithms.substr(comma + 1);
    int window_bits = 0;
    if (name == "gzip")
      window_bits = 15 + 16;
    else if (name == "deflate")
      window_bits = 15;
    if (window_bits == 0) {
      if (error)
        *error = "unknown compression algorithm " + std::string(name) +
                 ", supported algorithms are [gzip deflate]";
      return false;
    }
    if (!deflate_into(body, scratch, window_bits)) {
      if (error) *error = "compressing the body with " + std::string(name) + " failed";
      return false;
    }
    body.swap(scratch);
    if (!encoding.empty()) encoding += ", ";
    encoding.append(name);
  }
  return true;
}

}  // namespace lueng::http
