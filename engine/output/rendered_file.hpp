#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/output/output.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::output {

// Renders a report from the result model.
using RenderResult = std::string (*)(const result::RunResult& result);

// One file of an output rendered from the result model: where, and what renders it.
struct RenderedPath {
  std::string path;
  RenderResult render;
};

// An output written from the result model once the run has ended (the HTML,
// Markdown and JUnit reports, Locust's three files): every path is checked when
// it opens, so a path that cannot take the report fails before the test, and
// each file is written whole at finish (common/text_file.hpp), in order, up to
// the first that cannot be. nullptr with *error set naming the path.
std::unique_ptr<Output> open_rendered_files(std::vector<RenderedPath> files, std::string* error);

// The same for one file.
std::unique_ptr<Output> open_rendered_file(const std::string& path, RenderResult render,
                                           std::string* error);

}  // namespace lueng::output
