#pragma once

#include <functional>
#include <stdexcept>
#include <string>

#include <rapidjson/document.h>

#include "engine/common/text_table.hpp"

namespace lueng::bindings {

// A data file as lueng.data loaded it. Filled once by its loader, then only read,
// by every worker's Lua state at once: nothing in it may change after the load.
struct DataSet {
  std::string path;          // the file, as errors name it
  TextTable table;           // data.csv and data.lines
  rapidjson::Document json;  // data.json
  std::string text;          // open()
};

// A data file that cannot be loaded; the message names the file (and the line).
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The process's data set under `key` (the resolved path, the loader and its
// options). The first thread to ask runs `load`; threads asking for the same key
// meanwhile wait for it, then share the result. It is kept, immutable, until the
// process ends, so the reference stays valid for every state and VU. A failed
// load is remembered: every asker gets the same DataError, thrown again.
const DataSet& shared_data_set(const std::string& key, const std::function<void(DataSet&)>& load);

}  // namespace lueng::bindings
