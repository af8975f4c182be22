// constant-arrival-rate: `rate` iterations every `timeUnit` for `duration`,
// started on schedule whatever the response times (an open model).
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
  int64_t rate = 0;     // iterations per timeUnit; required
  double duration = 0;  // seconds; required

  std::string validate() const override {
    if (rate < 1) return "rate must be at least 1";
    if (duration <= 0) return "duration must be set and longer than 0s";
    return arrival.validate();
  }
  int64_t max_vus(const Segment& segment) const override { return arrival.most_vus(segment); }
  int64_t initial_vus(const Segment& segment) const override {
    return arrival.initial_vus(segment);
  }
  std::string describe_share(const Segment& instance) const override {
    return arrival.describe_share(instance);
  }
  double max_duration() const override { return duration; }
  std::string describe() const override {
    return fmt::format("{} iterations per {} for {} ({})", rate, format_duration(arrival.time_unit),
                       format_duration(duration), arrival.describe_vu_pool());
  }
  void summarize(result::ScenarioSummary& summary) const override {
    summary.vus = arrival.pre_allocated_vus;
    summary.duration = duration;
    summary.load = result::LoadShape::kConstant;
  }
  std::unique_ptr<Executor> create(const Segment& segment, ScenarioShared&) const override {
    double per_second = static_cast<double>(rate) / arrival.time_unit;
    ArrivalSchedule schedule(per_second, {{duration, per_second}});
    return std::make_unique<ArrivalRateExecutor>(
        std::move(schedule), IterationDealer(*this, segment), duration, arrival.stripes(segment));
  }
};

std::unique_ptr<ExecutorConfig> parse(ScenarioTable& table) {
  auto config = std::make_unique<Config>();
  config->arrival.read(table);
  table.count({"rate"}, config->rate);
  table.duration({"duration"}, config->duration);
  return config;
}

// No shortcut makes an arrival-rate scenario.
std::unique_ptr<ExecutorConfig> from_shortcuts(const Shortcuts&) {
  return nullptr;
}

}  // namespace

// extern: a const would be private to this file, and the registry lists it.
extern const ExecutorKind kConstantArrivalRate = {"constant-arrival-rate", parse, from_shortcuts};

}  // namespace lueng::exec
