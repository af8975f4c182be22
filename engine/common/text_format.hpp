#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lueng {

// Small formatters shared by the streaming outputs and the CSV reports; each
// appends to `out`.
void append_json_string(std::string& out, std::string_view text);  // quoted and escaped
void append_number(std::string& out, double value);                // shortest exact form
void append_csv_field(std::string& out, std::string_view text);    // quoted when it must be
// RFC 3339 in UTC with nanoseconds: 2026-12-01T13:19:00.123456789Z.
void append_rfc3339_ns(std::string& out, int64_t unix_ns);

}  // namespace lueng
