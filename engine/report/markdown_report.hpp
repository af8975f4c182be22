#pragma once

#include <string>

#include "engine/result/run_result.hpp"

namespace lueng::report {

// The run as a Markdown document for a pull-request comment (--out markdown=FILE,
// lueng report --markdown): verdict and compliance first, then the SLO table,
// the key metrics, the per-endpoint table, checks and findings.
std::string render_markdown_report(const result::RunResult& result);

}  // namespace lueng::report
