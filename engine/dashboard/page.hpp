#pragma once

#include <string>

namespace lueng::dashboard {

// The dashboard page: one self-contained HTML document (inline CSS and script,
// canvas charts), which loads nothing from the network but its own /events
// stream. `latest_json`: the latest snapshot (snapshot.hpp), carried inline so the
// page shows numbers at once ("" before the first); when it is the final one,
// the page opens no stream.
std::string render_page(const std::string& latest_json);

}  // namespace lueng::dashboard
