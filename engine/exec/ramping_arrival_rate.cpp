// ramping-arrival-rate: the iteration rate goes linearly from startRate through
// each stage's target (iterations per timeUnit), started on schedule.
#include "engine/exec/arrival_rate.hpp"
#include "engine/exec/executor_kinds.hpp"

namespace lueng::exec {

namespace {

std::string validate(const ScenarioConfig& config) {
  if (config.stages.empty()) return "stages must list at least one { duration, target }";
  if (config.stages_duration() <= 0) return "stages must last longer than 0s";
  return validate_vu_pool(config);
}

}  // namespace

const ExecutorKind kRampingArrivalRate = {
    "ramping-arrival-rate",
    validate,
    arrival_max_vus,
    arrival_initial_vus,
    [](const ScenarioConfig& config) { return config.stages_duration(); },
    [](const ScenarioConfig& config) {
      int64_t most = config.start_rate;
      for (const Stage& stage : config.stages) most = std::max(most, stage.target);
      return fmt::format("up to {} iterations per {} for {} over {} stages (startRate: {}, {})",
                         most, format_duration(config.time_unit),
                         format_duration(config.stages_duration()), config.stages.size(),
                         config.start_rate, describe_vu_pool(config));
    },
    [](const ScenarioConfig& config, const Segment& segment,
       ScenarioShared&) -> std::unique_ptr<Executor> {
      std::vector<std::pair<double, double>> stages;
      for (const Stage& stage : config.stages)
        stages.emplace_back(stage.duration, static_cast<double>(stage.target) / config.time_unit);
      ArrivalSchedule schedule(static_cast<double>(config.start_rate) / config.time_unit, stages);
      return std::make_unique<ArrivalRateExecutor>(
          std::move(schedule), IterationDealer(config, segment, arrival_max_vus),
          config.stages_duration());
    },
};

}  // namespace lueng::exec
