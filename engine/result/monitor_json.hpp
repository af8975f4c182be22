#pragma once

#include <functional>
#include <string>

#include <rapidjson/document.h>

#include "engine/result/json_fields.hpp"
#include "engine/result/monitor_model.hpp"

namespace lueng::result {

// The "monitor" object of the result file (docs/results.md); none without a monitor.
void write_monitor(JsonWriter& w, const MonitorResult& monitor);

// Reads it back; `fail(where, what)` is the reader's error (it throws).
void read_monitor(
    const rapidjson::Value& object, MonitorResult& monitor,
    const std::function<void(const std::string& where, const std::string& what)>& fail);

}  // namespace lueng::result
