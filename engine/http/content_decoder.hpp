#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <zlib.h>

namespace lueng::http {

// Inflates a gzip or deflate response body as it arrives, straight into the
// response's body. The zlib state is created on the first compressed response and
// reset for later ones, so a connection that keeps receiving compressed bodies
// stops allocating after the first.
class ContentDecoder {
 public:
  enum class Coding { kIdentity, kGzip, kDeflate };

  ContentDecoder() = default;
  ~ContentDecoder();
  ContentDecoder(const ContentDecoder&) = delete;
  ContentDecoder& operator=(const ContentDecoder&) = delete;

  // The coding named by a Content-Encoding value; identity for anything not
  // decoded here (absent, "identity", "br", stacked codings).
  static Coding coding_of(std::string_view content_encoding);

  // Prepares for one body in `coding` (not identity).
  void start(Coding coding);
  enum class Fed { kOk, kInvalid, kTooLarge };
  // Appends the decoded bytes of `data` to `out`, never letting it grow past
  // `limit` bytes (plus one, to tell): a few KB of gzip can inflate to gigabytes.
  // kInvalid when the data is not valid for the coding (error() then says why),
  // kTooLarge when the decoded body would pass `limit`.
  Fed feed(const char* data, size_t length, std::string& out, size_t limit = SIZE_MAX);
  // At the body's end: false when the compressed stream was cut short.
  bool finish();
  const char* error() const { return error_; }

 private:
  bool begin_stream(unsigned char first_byte);

  // Made by the first compressed body: a connection that never sees one (most)
  // does not carry zlib's 112 bytes, and zlib's own state is on the heap anyway.
  std::unique_ptr<z_stream> stream_;
  bool initialized_ = false;
  bool begun_ = false;  // the first body byte chose the stream format
  bool ended_ = false;  // the compressed stream's end was reached
  Coding coding_ = Coding::kIdentity;
  const char* error_ = "";
};

}  // namespace lueng::http
