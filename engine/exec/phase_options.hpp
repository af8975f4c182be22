#pragma once

#include <rapidjson/document.h>

namespace lueng::exec {

// k6's options for the calls around the load: setupTimeout and teardownTimeout
// (60 s; past them the run exits 100 / 101, as k6), handleSummaryTimeout (120 s),
// noSetup and noTeardown (skip the call).
struct PhaseOptions {
  double setup_timeout = 60;     // seconds
  double teardown_timeout = 60;  // seconds
  double summary_timeout = 120;  // seconds, handleSummary()
  bool no_setup = false;
  bool no_teardown = false;
};

// minIterationDuration in seconds (0 when unset), k6's option: a VU whose
// iteration was shorter waits for the rest before its next one.
double read_min_iteration_duration(const rapidjson::Value& options);

// From the script's options (JSON, null when absent), camelCase or snake_case.
// Throws ConfigError naming the option.
PhaseOptions read_phase_options(const rapidjson::Value& options);

}  // namespace lueng::exec
