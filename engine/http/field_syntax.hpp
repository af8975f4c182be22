#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lueng::http {

// What may go into a request head. A CR or LF in a method, a header or a cookie
// ends the line early and lets the rest pass for headers or a request of its
// own (a token read from a file with its newline splits the request, and the
// server's answer to the smuggled part is credited to the next request), so
// requests are checked before they are written, as Go's net/http checks them.

// RFC 7230's token (1*tchar): what a method, a header name or a cookie name is.
bool is_token(std::string_view text);

// The position of the first byte a header value must not carry, or npos: a
// control character other than HTAB (CR, LF and NUL among them) or DEL.
size_t find_invalid_value_byte(std::string_view value);

// The position of the first byte a cookie value must not carry, or npos: what a
// header value must not, and ';', which would start another cookie.
size_t find_invalid_cookie_value_byte(std::string_view value);

// "a line feed (\n)", "a carriage return (\r)", "a NUL byte", "the control
// character 0x1b": for error messages, which must not print the byte itself.
std::string describe_byte(char c);

// `text` for an error message: control characters and bytes past ASCII escaped
// (\r, \n, \0, \xNN), at most `limit` bytes of it and "..." after.
std::string printable(std::string_view text, size_t limit = 64);

}  // namespace lueng::http
