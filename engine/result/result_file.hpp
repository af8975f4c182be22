#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/result/run_result.hpp"

namespace lueng::result {

// Version of the result file layout (docs/results.md). Bump on incompatible changes.
inline constexpr const char* kResultSchema = "lueng.result/1";

// A scenario's "load" in the file: "other", "constant" or "ramping".
const char* load_shape_name(LoadShape shape);
std::optional<LoadShape> parse_load_shape(std::string_view name);

// The result file as JSON text.
std::string result_to_json(const RunResult& result);

// Writes the result file atomically (temporary file, then rename). Returns false
// with *error naming the path when it cannot.
bool write_result_file(const RunResult& result, const std::string& path, std::string* error);

}  // namespace lueng::result
