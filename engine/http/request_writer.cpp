#include "engine/http/request_writer.hpp"

#include <charconv>
#include <cstring>

#include "engine/http/ascii.hpp"

namespace lueng::http {

namespace {

bool has_header(const Request& request, std::string_view name) {
  for (const Header& header : request.headers) {
    if (ascii_iequals(header.name, name)) return true;
  }
  return false;
}

// Servers reject or hang on a bodiless POST without a length, so methods that
// carry a body always say how long it is, even when it is empty.
bool sends_content_length(const Request& request) {
  return !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
         request.method == "PATCH";
}

// Writes into a buffer sized once: an append per piece, with its capacity check
// and its call of memcpy, cost more than the bytes themselves.
class HeadWriter {
 public:
  explicit HeadWriter(char* at) : at_(at) {}
  void put(std::string_view text) {
    if (text.empty()) return;  // an empty view may hold a null pointer, which memcpy must not get
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }
  void header(std::string_view name, std::string_view value) {
    put(name);
    put(": ");
    put(value);
    put("\r\n");
  }
  static size_t header_size(std::string_view name, std::string_view value) {
    return name.size() + value.size() + 4;
  }

 private:
  char* at_;
};

}  // namespace

void write_request(std::string& out, const Request& request, std::string_view user_agent) {
  bool host = !has_header(request, "Host");
  bool agent = !user_agent.empty() && !has_header(request, "User-Agent");
  bool close = request.close_connection && !has_header(request, "Connection");
  char digits[24];
  std::string_view length;
  if (sends_content_length(request) && !has_header(request, "Content-Length")) {
    auto end = std::to_chars(digits, digits + sizeof(digits), request.body.size()).ptr;
    length = std::string_view(digits, static_cast<size_t>(end - digits));
  }
  constexpr std::string_view kVersion = " HTTP/1.1\r\n";
  size_t size = request.method.size() + 1 + request.url->target.size() + kVersion.size() + 2 +
                request.body.size();
  if (host) size += HeadWriter::header_size("Host", request.url->host_header);
  if (agent) size += HeadWriter::header_size("User-Agent", user_agent);
  for (const Header& header : request.headers)
    size += HeadWriter::header_size(header.name, header.value);
  if (close) size += HeadWriter::header_size("Connection", "close");
  if (!length.empty()) size += HeadWriter::header_size("Content-Length", length);

  out.resize(size);
  HeadWriter writer(out.data());
  writer.put(request.method);
  writer.put(" ");
  writer.put(request.url->target);
  writer.put(kVersion);
  if (host) writer.header("Host", request.url->host_header);
  if (agent) writer.header("User-Agent", user_agent);
  for (const Header& header : request.headers) writer.header(header.name, header.value);
  if (close) writer.header("Connection", "close");
  if (!length.empty()) writer.header("Content-Length", length);
  writer.put("\r\n");
  writer.put(request.body);
}

}  // namespace lueng::http
