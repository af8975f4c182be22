#pragma once

#include <memory>
#include <string>

#include "engine/output/output.hpp"
#include "engine/output/run_result.hpp"

namespace lueng::output {

// Renders a report from the result model.
using RenderResult = std::string (*)(const RunResult& result);

// An output written from the result model once the run has ended (the HTML,
// Markdown and JUnit reports): `path` is checked when it opens, so a path that
// cannot take the report fails before the test, and the report is written whole
// at finish (common/text_file.hpp). nullptr with *error set naming the path.
std::unique_ptr<Output> open_rendered_file(const std::string& path, RenderResult render,
                                           std::string* error);

}  // namespace lueng::output
