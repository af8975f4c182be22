#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/exec/scenario_config.hpp"

namespace lueng::exec {

// Lua tables keep no key order, so options.scenarios arrives in hash order. The
// order in which scenarios are listed (the start banner, the summary, the result
// file): by startTime, then by where `script_text` first names each as a table
// key (`browse = {`, `["browse"] = {`) after its `scenarios` key, then by name
// (a scenario the text does not name, built by a module, comes after those it does).
void order_as_written(std::vector<ScenarioConfig>& scenarios, std::string_view script_text);

// Where `text` first has `name` as a table key at or after `from`; npos if nowhere.
size_t key_position(std::string_view text, std::string_view name, size_t from = 0);

}  // namespace lueng::exec
