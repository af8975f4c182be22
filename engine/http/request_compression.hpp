#pragma once

#include <string>
#include <string_view>

namespace lueng::http {

// k6's params.compression: the request body compressed with each algorithm of a
// comma-separated list in turn ("gzip", "deflate" (zlib format, as Go's and so
// k6's), "gzip, deflate"), and the Content-Encoding naming them in that order.
// `body` is replaced by the compressed bytes and `encoding` set; `scratch` is a
// buffer kept between calls. False with *error set for an unknown algorithm
// (k6's "zstd" and "br" are among them: lueng has neither library).
bool compress_body(std::string_view algorithms, std::string& body, std::string& scratch,
                   std::string& encoding, std::string* error);

}  // namespace lueng::http
