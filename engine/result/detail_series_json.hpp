#pragma once

#include <functional>
#include <string>

#include <rapidjson/document.h>

#include "engine/result/json_fields.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::result {

// The "endpoint_series" and "metric_series" lists of the result file (docs/results.md).
void write_detail_series(JsonWriter& w, const RunResult& result);

// Reads them back from the file's top-level object (absent in older files);
// `fail(where, what)` is the reader's error (it throws).
void read_detail_series(
    const rapidjson::Value& top, RunResult& result,
    const std::function<void(const std::string& where, const std::string& what)>& fail);

}  // namespace lueng::result
