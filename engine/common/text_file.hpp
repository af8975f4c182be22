#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lueng {

// Writes a whole file. A regular file (or a new one) is written to a temporary
// file beside it and renamed into place, so a reader never sees half a report.
// Anything else the path names is written in place and never replaced: a
// symlink's target (a link kept as a link), a device such as /dev/null or
// /dev/stdout, a FIFO with a reader (shell process substitution). Returns false
// with *error naming the path.
bool write_text_file(const std::string& path, std::string_view text, std::string* error);

// A whole file's bytes, or nullopt (errno set) when it cannot be opened.
std::optional<std::string> read_text_file(const std::string& path);

// Whether write_text_file could write `path`, checked before a run so that a
// report that cannot be written costs no test: "" or a problem naming the path.
// Nothing is created.
std::string check_writable(const std::string& path);

}  // namespace lueng
