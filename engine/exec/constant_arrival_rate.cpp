// constant-arrival-rate: `rate` iterations every `timeUnit` for `duration`,
// started on schedule whatever the response times (an open model).
#include "engine/exec/arrival_rate.hpp"
#include "engine/exec/executor_kinds.hpp"

namespace lueng::exec {

namespace {

std::string validate(const ScenarioConfig& config) {
  if (config.rate < 1) return "rate must be at least 1";
  if (config.duration <= 0) return "duration must be set and longer than 0s";
  return validate_vu_pool(config);
}

}  // namespace

const ExecutorKind kConstantArrivalRate = {
    "constant-arrival-rate",
    validate,
    arrival_max_vus,
    arrival_initial_vus,
    [](const ScenarioConfig& config) { return config.duration; },
    [](const ScenarioConfig& config) {
      return fmt::format("{} iterations per {} for {} ({})", config.rate,
                         format_duration(config.time_unit), format_duration(config.duration),
                         describe_vu_pool(config));
    },
    [](const ScenarioConfig& config, const Segment& segment,
       ScenarioShared&) -> std::unique_ptr<Executor> {
      double per_second = static_cast<double>(config.rate) / config.time_unit;
      ArrivalSchedule schedule(per_second, {{config.duration, per_second}});
      return std::make_unique<ArrivalRateExecutor>(
          std::move(schedule), IterationDealer(config, segment, arrival_max_vus), config.duration);
    },
};

}  // namespace lueng::exec
