#include "engine/http/content_decoder.hpp"

#include <algorithm>

#include "engine/common/text.hpp"
#include "engine/http/ascii.hpp"

namespace lueng::http {

namespace {

constexpr int kGzipWindow = 15 + 16;  // zlib: expect a gzip header
constexpr int kZlibWindow = 15;
constexpr int kRawWindow = -15;

}  // namespace

ContentDecoder::~ContentDecoder() {
  if (initialized_) inflateEnd(stream_.get());
}

ContentDecoder::Coding ContentDecoder::coding_of(std::string_view content_encoding) {
  std::string_view coding = trim_blanks(content_encoding);
  if (ascii_iequals(coding, "gzip") || ascii_iequals(coding, "x-gzip")) return Coding::kGzip;
  if (ascii_iequals(coding, "deflate")) return Coding::kDeflate;
  return Coding::kIdentity;
}

void ContentDecoder::start(Coding coding) {
  coding_ = coding;
  begun_ = false;
  ended_ = false;
  error_ = "";
}

bool ContentDecoder::begin_stream(unsigned char first_byte) {
  int window = kGzipWindow;
  if (coding_ == Coding::kDeflate) {
    // "deflate" means a zlib stream (RFC 9110), but some servers send raw
    // deflate data; a zlib header starts with compression method 8 and a
    // window of at most 32 KiB, which raw data rarely looks like.
    bool zlib_header = (first_byte & 0x0f) == 8 && (first_byte >> 4) <= 7;
    window = zlib_header ? kZlibWindow : kRawWindow;
  }
  if (!stream_) stream_ = std::make_unique<z_stream>();
  int status =
      initialized_ ? inflateReset2(stream_.get(), window) : inflateInit2(stream_.get(), window);
  if (status != Z_OK) {
    error_ = "cannot initialize zlib";
    return false;
  }
  initialized_ = true;
  begun_ = true;
  return true;
}

ContentDecoder::Fed ContentDecoder::feed(const char* data, size_t length, std::string& out,
                                         size_t limit) {
  if (length == 0) return Fed::kOk;
  if (!begun_ && !begin_stream(static_cast<unsigned char>(data[0]))) return Fed::kInvalid;
  if (ended_) return Fed::kOk;  // bytes after the stream's end are ignored, as browsers do
  stream_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  stream_->avail_in = static_cast<uInt>(length);
  while (stream_->avail_in > 0) {
    size_t used = out.size();
    if (used > limit) return Fed::kTooLarge;
    // Grow into the string's spare capacity first; a pooled response's body keeps
    // the capacity of the largest body it held.
    size_t room = out.capacity() - used;
    if (room < 4096) room = std::max<size_t>(4096, used);
    room = std::min<size_t>(room, size_t{1} << 30);  // avail_out is 32 bits
    if (limit - used < room) room = limit - used + 1;
    out.resize(used + room);
    stream_->next_out = reinterpret_cast<Bytef*>(out.data() + used);
    stream_->avail_out = static_cast<uInt>(room);
    int status = inflate(stream_.get(), Z_NO_FLUSH);
    out.resize(used + (room - stream_->avail_out));
    if (out.size() > limit) return Fed::kTooLarge;
    if (status == Z_STREAM_END) {
      ended_ = true;
      return Fed::kOk;
    }
    if (status == Z_BUF_ERROR && stream_->avail_out > 0) return Fed::kOk;  // needs more input
    if (status != Z_OK) {
      error_ = stream_->msg ? stream_->msg : "invalid compressed data";
      return Fed::kInvalid;
    }
  }
  return Fed::kOk;
}

bool ContentDecoder::finish() {
  if (!begun_ || ended_) return true;  // an empty body is an empty body
  error_ = "compressed body ends early";
  return false;
}

}  // namespace lueng::http
