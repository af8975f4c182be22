#include "engine/http/simple_head.hpp"

#include <array>
#include <cstring>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "engine/http/ascii.hpp"

namespace lueng::http {

namespace {

constexpr std::array<bool, 256> make_token_chars() {
  std::array<bool, 256> token{};  // RFC 9110 tchar: a header name's bytes
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) token[static_cast<uint8_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) token[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) token[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) token[c] = true;
  return token;
}

constexpr std::array<bool, 256> kTokenChars = make_token_chars();

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// Printable ASCII and space: what a value or reason holds besides tabs.
bool is_text(char c) {
  return c >= 0x20 && c < 0x7f;
}

// From `i`, the first byte of `data` that is not text (a value's CR, mostly).
// Sixteen at a time where the CPU has SSE2 (every x86-64): this runs over every
// byte of every value.
size_t skip_text(const char* data, size_t i, size_t length) {
#ifdef __SSE2__
  const __m128i space_less_one = _mm_set1_epi8(0x1f), del = _mm_set1_epi8(0x7f);
  for (; i + 16 <= length; i += 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    // Signed compares: bytes from 0x80 are negative, so not text either.
    __m128i text =
        _mm_andnot_si128(_mm_cmpeq_epi8(bytes, del), _mm_cmpgt_epi8(bytes, space_less_one));
    unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(text)) & 0xffffu;
    if (other != 0) return i + static_cast<size_t>(__builtin_ctz(other));
  }
#endif
  while (i < length && is_text(data[i])) ++i;
  return i;
}

// From `i`, the first byte that is not a letter, digit or '-' (most names' bytes),
// then the first that is not a tchar.
size_t skip_token(const char* data, size_t i, size_t length) {
#ifdef __SSE2__
  const __m128i lower_bit = _mm_set1_epi8(0x20), dash = _mm_set1_epi8('-');
  const __m128i a_less_one = _mm_set1_epi8('a' - 1), z_plus_one = _mm_set1_epi8('z' + 1);
  const __m128i zero_less_one = _mm_set1_epi8('0' - 1), nine_plus_one = _mm_set1_epi8('9' + 1);
  for (; i + 16 <= length; i += 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    __m128i lower = _mm_or_si128(bytes, lower_bit);
    __m128i letter =
        _mm_and_si128(_mm_cmpgt_epi8(lower, a_less_one), _mm_cmpgt_epi8(z_plus_one, lower));
    __m128i digit =
        _mm_and_si128(_mm_cmpgt_epi8(bytes, zero_less_one), _mm_cmpgt_epi8(nine_plus_one, bytes));
    __m128i usual = _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(bytes, dash));
    unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(usual)) & 0xffffu;
    if (other != 0) {
      i += static_cast<size_t>(__builtin_ctz(other));
      break;
    }
  }
#endif
  while (i < length && kTokenChars[static_cast<uint8_t>(data[i])]) ++i;
  return i;
}

// A header name (tchars) or value (text and tabs) against a lower-case name of
// letters and '-': OR-ing 0x20 into such a byte gives a lower-case letter or '-'
// only from that letter in either case or from '-' (a tab gives ')', and 0x0D,
// the other byte that gives '-', is neither), so one OR per eight bytes replaces
// a comparison per byte. `lower` has at least 8 bytes.
bool name_is(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  auto word = [](const char* at) {
    uint64_t w;
    std::memcpy(&w, at, 8);
    return w;
  };
  constexpr uint64_t kLowerBits = 0x2020202020202020u;
  size_t n = name.size();
  for (size_t k = 0; k + 8 < n; k += 8)
    if ((word(name.data() + k) | kLowerBits) != word(lower.data() + k)) return false;
  return (word(name.data() + n - 8) | kLowerBits) == word(lower.data() + n - 8);
}

// The headers llhttp acts on, besides Content-Length and Connection: a head with
// one of them is left to llhttp.
bool needs_llhttp(std::string_view name) {
  return name_is(name, "transfer-encoding") || name_is(name, "proxy-connection") ||
         ascii_iequals(name, "upgrade");
}

}  // namespace

bool parse_content_length(std::string_view digits, uint64_t& value) {
  // 18 digits cannot overflow; longer ones are llhttp's to judge.
  if (digits.empty() || digits.size() > 18) return false;
  value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

bool read_simple_head(const char* data, size_t length,
                      std::vector<ResponseData::HeaderRef>& headers, SimpleHead& head) {
  headers.clear();
  head.content_encoded = false;
  head.set_cookie = false;
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
  auto skip_value = [&](size_t from) {
    for (;;) {
      from = skip_text(data, from, length);
      if (from >= length || data[from] != '\t') return from;
      ++from;
    }
  };
  i = skip_value(i);  // the reason phrase
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
    i = skip_token(data, i, length);
    if (i == name_start || i >= length || data[i] != ':') return give_up();
    std::string_view name(data + name_start, i - name_start);
    ++i;
    while (i < length && is_space(data[i])) ++i;
    size_t value_start = i;
    i = skip_value(i);
    size_t value_end = i;
    while (value_end > value_start && is_space(data[value_end - 1])) --value_end;
    std::string_view value(data + value_start, value_end - value_start);
    headers.push_back(ResponseData::HeaderRef{
        static_cast<uint32_t>(name_start), static_cast<uint32_t>(name.size()),
        static_cast<uint32_t>(value_start), static_cast<uint32_t>(value.size())});
    // llhttp takes a tab after a Content-Length's digits for an error, and after a
    // Connection's token for part of an unknown token: such heads are llhttp's.
    auto tab_after = [&] { return std::memchr(data + value_end, '\t', i - value_end) != nullptr; };
    if (name_is(name, "content-length")) {
      if (has_length || !parse_content_length(value, head.content_length) || tab_after())
        return give_up();
      has_length = true;
      head.content_length_at = value_start;
      head.content_length_digits = value.size();
    } else if (name_is(name, "connection")) {
      if (has_connection || tab_after()) return give_up();
      has_connection = true;
      close = ascii_iequals(value, "close");
      keep_alive = name_is(value, "keep-alive");  // a value of text bytes: as safe as a name
      if (!close && !keep_alive) return give_up();
    } else if (name_is(name, "content-encoding")) {
      head.content_encoded = true;
    } else if (name_is(name, "set-cookie")) {
      head.set_cookie = true;
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
