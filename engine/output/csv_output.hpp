#pragma once

#include <memory>
#include <string>

#include "engine/output/output.hpp"

namespace lueng::output {

// --out csv=FILE: every sample as a CSV row with k6's columns (FILE.gz: gzip).
std::unique_ptr<Output> open_csv_output(const std::string& path, std::string* error);

}  // namespace lueng::output
