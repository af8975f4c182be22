#pragma once

#include <string>
#include <string_view>

#include "engine/http/client.hpp"

namespace lueng::http {

// Serializes `request` (head and body) into `out` for a single write. `out` is
// cleared first and keeps its capacity, so a connection's buffer stops allocating
// after its largest request.
void write_request(std::string& out, const Request& request, std::string_view user_agent);

}  // namespace lueng::http
