#pragma once

#include <string>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "engine/result/json_fields.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::result {

// The "slos" object of the result file (docs/results.md): the verdict and, per
// SLO, its definition, measured value and status.
void write_slo_report(JsonWriter& w, const thresholds::SloReport& report);

// The same object as a document of its own (lueng validate --format json).
std::string slo_report_to_json(const thresholds::SloReport& report);

}  // namespace lueng::result
