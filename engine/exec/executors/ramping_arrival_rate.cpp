// ramping-arrival-rate: the iteration rate goes linearly from startRate through
// each stage's target (iterations per timeUnit), started on schedule.
#include <algorithm>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/exec/executors/arrival_rate.hpp"
#include "engine/exec/scenario_table.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

namespace {

class Config final : public ExecutorConfig {
 public:
  ArrivalOptions arrival;
  int64_t start_rate = 0;     // iterations per timeUnit
  std::vector<Stage> stages;  // targets are iterations per timeUnit

  std::string validate() const override {
    if (stages.empty()) return "stages must list at least one { duration, target }";
    if (total_duration(stages) <= 0) return "stages must last longer than 0s";
    return arrival.validate();
  }
  int64_t max_vus(const Segment& segment) const override { return arrival.most_vus(segment); }
  int64_t initial_vus(const Segment& segment) const override {
    return arrival.initial_vus(segment);
  }
  std::string describe_share(const Segment& instance) const override {
    return arrival.describe_share(instance);
  }
  double max_duration() const override { return total_duration(stages); }
  std::string describe() const override {
    int64_t most = start_rate;
    for (const Stage& stage : stages) most = std::max(most, stage.target);
    return fmt::format("up to {} iterations per {} for {} over {} stages (startRate: {}, {})", most,
                       format_duration(arrival.time_unit), format_duration(total_duration(stages)),
                       stages.size(), start_rate, arrival.describe_vu_pool());
  }
  void summarize(result::ScenarioSummary& summary) const override {
    summary.vus = arrival.pre_allocated_vus;
    summary.start_target = start_rate;
    for (const Stage& stage : stages) summary.stages.emplace_back(stage.duration, stage.target);
    summary.load = result::LoadShape::kRamping;
  }
  std::unique_ptr<Executor> create(const Segment& segment, ScenarioShared&) const override {
    std::vector<std::pair<double, double>> per_second;
    for (const Stage& stage : stages)
      per_second.emplace_back(stage.duration,
                              static_cast<double>(stage.target) / arrival.time_unit);
    ArrivalSchedule schedule(static_cast<double>(start_rate) / arrival.time_unit, per_second);
    return std::make_unique<ArrivalRateExecutor>(std::move(schedule),
                                                 IterationDealer(*this, segment),
                                                 total_duration(stages), arrival.stripes(segment));
  }
};

std::unique_ptr<ExecutorConfig> parse(ScenarioTable& table) {
  auto config = std::make_unique<Config>();
  config->arrival.read(table);
  table.count({"startRate"}, config->start_rate);
  table.stages({"stages"}, config->stages);
  return config;
}

// No shortcut makes an arrival-rate scenario.
std::unique_ptr<ExecutorConfig> from_shortcuts(const Shortcuts&) {
  return nullptr;
}

}  // namespace

// extern: a const would be private to this file, and the registry lists it.
extern const ExecutorKind kRampingArrivalRate = {"ramping-arrival-rate", parse, from_shortcuts};

}  // namespace lueng::exec
