#include "engine/exec/http_debug.hpp"

#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "engine/http/ascii.hpp"
#include "engine/http/request_writer.hpp"
#include "engine/http/status_text.hpp"

namespace lueng::exec {

namespace {

bool is_credential(std::string_view name) {
  return http::ascii_iequals(name, "Authorization") ||
         http::ascii_iequals(name, "Proxy-Authorization");
}

// "Basic dXNlcjpwYXNz" -> "Basic ****": the scheme says what was sent, the rest
// is the secret (a value without a scheme is all secret).
void append_masked(std::string& out, std::string_view value) {
  size_t space = value.find(' ');
  if (space != std::string_view::npos) out.append(value.substr(0, space + 1));
  out.append("****");
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  if (is_credential(name))
    append_masked(out, value);
  else
    out.append(value);
  out += '\n';
}

// The request head as written (the connection's own serializer, so Host,
// User-Agent, Connection and Content-Length are the ones sent), line by line
// with credentials masked and CRLF as LF, as k6 prints it.
void append_request_head(std::string& out, const http::Request& request,
                         std::string_view user_agent) {
  thread_local std::string wire;
  http::write_request(wire, request, user_agent);
  std::string_view text(wire.data(), wire.size() - request.body.size());
  bool first = true;
  while (!text.empty()) {
    size_t end = text.find("\r\n");
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 2);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (first || colon == std::string_view::npos) {
      out.append(line);
      out += '\n';
    } else {
      std::string_view value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      append_header(out, line.substr(0, colon), value);
    }
    first = false;
  }
}

bool is_binary(std::string_view body) {
  for (char c : body) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f) return true;
  }
  return false;
}

void append_body(std::string& out, std::string_view body) {
  if (body.empty()) return;
  std::string_view shown = body.substr(0, kHttpDebugBodyLimit);
  // Cut before a UTF-8 continuation byte, not inside a character.
  if (shown.size() < body.size())
    while (!shown.empty() && (static_cast<unsigned char>(body[shown.size()]) & 0xC0) == 0x80)
      shown.remove_suffix(1);
  if (is_binary(shown)) {
    fmt::format_to(std::back_inserter(out), "[binary body, {} bytes]\n", body.size());
    return;
  }
  out.append(shown);
  if (shown.size() < body.size())
    fmt::format_to(std::back_inserter(out), "\n[body cut: {} bytes in all, the first {} shown]",
                   body.size(), shown.size());
  out += '\n';
}

void append_response(std::string& out, HttpDebug mode, const http::ResponseData& response) {
  if (response.status == 0) {
    fmt::format_to(std::back_inserter(out), "no response: {}\n", response.error);
    return;
  }
  fmt::format_to(std::back_inserter(out), "HTTP/1.{} {} {}\n", response.http_minor, response.status,
                 http::reason_phrase(response.status));
  for (size_t i = 0; i < response.header_count(); ++i)
    append_header(out, response.header_name(i), response.header_value(i));
  if (mode != HttpDebug::kFull) return;
  out += '\n';
  if (response.body_discarded)
    out.append("[body not kept (discardResponseBodies or responseType \"none\")]\n");
  else
    append_body(out, response.body);
}

}  // namespace

void print_http_exchange(HttpDebug mode, const HttpDebugSource& source,
                         const http::Request& request, std::string_view user_agent,
                         const http::ResponseData& response) {
  // Reused by every dump of the worker: the capacity of its largest stays.
  thread_local std::string out;
  out.clear();
  auto fields = fmt::format("source=http-debug vu={} iter={} scenario={}", source.vu,
                            source.iteration, source.scenario);
  fmt::format_to(std::back_inserter(out), "INFO Request: {}\n", fields);
  append_request_head(out, request, user_agent);
  if (mode == HttpDebug::kFull && !request.body.empty()) {
    out += '\n';
    append_body(out, request.body);
  }
  fmt::format_to(std::back_inserter(out), "\nINFO Response: {}\n", fields);
  append_response(out, mode, response);
  out += '\n';
  fwrite(out.data(), 1, out.size(), stderr);  // stderr is unbuffered: one write
}

}  // namespace lueng::exec
