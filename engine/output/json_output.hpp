#pragma once

#include <memory>
#include <string>

#include "engine/output/output.hpp"

namespace lueng::output {

// --out json=FILE: every sample as a JSON line in k6's shape (FILE.gz: gzip).
std::unique_ptr<Output> open_json_output(const std::string& path, std::string* error);

}  // namespace lueng::output
