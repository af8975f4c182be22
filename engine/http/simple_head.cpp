#include "engine/http/simple_head.hpp"

#include <array>
#include <cstring>
#include <string_view>

#include "engine/http/ascii.hpp"

namespace lueng::http {

namespace {

constexpr uint8_t kTokenChar = 1;  // RFC 9110 tchar: a header name's bytes
constexpr uint8_t kTextChar = 2;   // printable ASCII, space and tab: a value's or reason's bytes

constexpr std::array<uint8_t, 256> make_byte_classes() {
  std::array<uint8_t, 256> classes{};
  for (int c = 0x20; c < 0x7f; ++c) classes[c] |= kTextChar;
  classes['\t'] |= kTextChar;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) classes[static_cast<uint8_t>(c)] |= kTokenChar;
  for (int c = '0'; c <= '9'; ++c) classes[c] |= kTokenChar;
  for (int c = 'a'; c <= 'z'; ++c) classes[c] |= kTokenChar;
  for (int c = 'A'; c <= 'Z'; ++c) classes[c] |= kTokenChar;
  return classes;
}

constexpr std::array<uint8_t, 256> kByteClasses = make_byte_classes();

bool is(char c, uint8_t byte_class) {
  return kByteClasses[static_cast<uint8_t>(c)] & byte_class;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// The headers llhttp acts on, besides Content-Length and Connection: a head with
// one of them is left to llhttp.
bool needs_llhttp(std::string_view name) {
  return ascii_iequals(name, "transfer-encoding") || ascii_iequals(name, "proxy-connection") ||
         ascii_iequals(name, "upgrade");
}

bool parse_length(std::string_view digits, uint64_t& value) {
  // 18 digits cannot overflow; longer ones are llhttp's to judge.
  if (digits.empty() || digits.size() > 18) return false;
  value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

bool read_simple_head(const char* data, size_t length,
                      std::vector<ResponseData::HeaderRef>& headers, SimpleHead& head) {
  headers.clear();
  auto give_up = [&headers] {
    headers.clear();
    return false;
  };
  // "HTTP/1.1 200 " or "HTTP/1.0 200 ".
  if (length < 13 || std::memcmp(data, "HTTP/1.", 7) != 0 || (data[7] != '0' && data[7] != '1') ||
      data[8] != ' ' || data[12] != ' ')
    return false;
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (data[i] < '0' || data[i] > '9') return false;
    status = status * 10 + (data[i] - '0');
  }
  if (status < 200 || status > 599 || status == 204 || status == 304) return false;
  head.status = status;
  head.http_minor = data[7] - '0';

  size_t i = 13;
  while (i < length && is(data[i], kTextChar)) ++i;  // the reason phrase
  bool close = false, keep_alive = false, has_length = false, has_connection = false;
  for (;;) {
    // At the end of a line: CRLF, then the next header or the blank line.
    if (i + 2 > length || data[i] != '\r' || data[i + 1] != '\n') return give_up();
    i += 2;
    if (i + 2 > length) return give_up();
    if (data[i] == '\r') {
      if (data[i + 1] != '\n') return give_up();
      head.length = i + 2;
      break;
    }
    size_t name_start = i;
    while (i < length && is(data[i], kTokenChar)) ++i;
    if (i == name_start || i >= length || data[i] != ':') return give_up();
    std::string_view name(data + name_start, i - name_start);
    ++i;
    while (i < length && is_space(data[i])) ++i;
    size_t value_start = i;
    while (i < length && is(data[i], kTextChar)) ++i;
    size_t value_end = i;
    while (value_end > value_start && is_space(data[value_end - 1])) --value_end;
    std::string_view value(data + value_start, value_end - value_start);
    headers.push_back(ResponseData::HeaderRef{
        static_cast<uint32_t>(name_start), static_cast<uint32_t>(name.size()),
        static_cast<uint32_t>(value_start), static_cast<uint32_t>(value.size())});
    if (ascii_iequals(name, "content-length")) {
      if (has_length || !parse_length(value, head.content_length)) return give_up();
      has_length = true;
    } else if (ascii_iequals(name, "connection")) {
      if (has_connection) return give_up();
      has_connection = true;
      close = ascii_iequals(value, "close");
      keep_alive = ascii_iequals(value, "keep-alive");
      if (!close && !keep_alive) return give_up();
    } else if (needs_llhttp(name)) {
      return give_up();
    }
  }
  // Without a length the body runs to the connection's end: llhttp's case.
  if (!has_length) return give_up();
  head.keep_alive = head.http_minor == 1 ? !close : keep_alive;
  return true;
}

}  // namespace lueng::http
