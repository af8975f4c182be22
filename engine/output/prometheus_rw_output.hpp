#pragma once

#include <memory>
#include <string>

#include "engine/output/output.hpp"

namespace lueng::output {

// --out prometheus-rw[=URL or KEY=VALUE,...]: pushes the run's metrics to a
// Prometheus remote write endpoint while the test runs, with k6's naming
// (remote_write_series.hpp). Samples are aggregated on the output writer's
// thread; a thread of the output's own pushes every push interval, retries with
// back-off while the endpoint fails and drops (and counts) what it could not
// deliver. finish() pushes the final values with bounded retries and prints on
// stderr how many samples were not delivered; a dead endpoint never fails or
// holds up the run.
std::unique_ptr<Output> open_prometheus_rw_output(const std::string& argument, std::string* error);

}  // namespace lueng::output
