#include "engine/http/request_writer.hpp"

#include <charconv>

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

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

void write_request(std::string& out, const Request& request, std::string_view user_agent) {
  out.clear();
  out.append(request.method);
  out += ' ';
  out.append(request.url->target);
  out.append(" HTTP/1.1\r\n");
  if (!has_header(request, "Host")) append_header(out, "Host", request.url->host_header);
  if (!user_agent.empty() && !has_header(request, "User-Agent"))
    append_header(out, "User-Agent", user_agent);
  for (const Header& header : request.headers) append_header(out, header.name, header.value);
  if (request.close_connection && !has_header(request, "Connection"))
    append_header(out, "Connection", "close");
  if (sends_content_length(request) && !has_header(request, "Content-Length")) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof(digits), request.body.size()).ptr;
    append_header(out, "Content-Length",
                  std::string_view(digits, static_cast<size_t>(end - digits)));
  }
  out.append("\r\n");
  out.append(request.body);
}

}  // namespace lueng::http
