#pragma once

#include <string>
#include <string_view>

namespace lueng::output {

// Writes a whole file atomically (a temporary file renamed into place), so a
// reader never sees half a report. Returns false with *error naming the path.
bool write_text_file(const std::string& path, std::string_view text, std::string* error);

}  // namespace lueng::output
