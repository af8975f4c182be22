#pragma once

#include <string>
#include <string_view>

namespace lueng::report {

// Text made safe for HTML and XML content and attribute values: & < > " ' escaped,
// control characters XML 1.0 forbids dropped. Tag values come from scripts and
// servers, so every string a report prints goes through here.
std::string escape_markup(std::string_view text);

}  // namespace lueng::report
