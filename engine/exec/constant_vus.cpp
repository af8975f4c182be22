// constant-vus: a fixed number of VUs loop over iterations for a duration.
#include "engine/exec/executor_kinds.hpp"
#include "engine/exec/scenario_run.hpp"

namespace lueng::exec {

namespace {

class ConstantVus final : public Executor {
 public:
  explicit ConstantVus(const ScenarioConfig& config) : duration_(config.duration) {}

  void start(ScenarioRun& run) override {
    run.finish_after(duration_);
    for (Vu* vu : run.vus()) run.start_iteration(*vu);
  }

  void on_iteration_end(ScenarioRun& run, Vu& vu) override { run.start_iteration(vu); }
  bool restarts_at_once() const override { return true; }

 private:
  double duration_;
};

std::string validate(const ScenarioConfig& config) {
  if (config.vus < 1) return "vus must be at least 1";
  if (config.duration <= 0) return "duration must be set and longer than 0s";
  return "";
}

}  // namespace

const ExecutorKind kConstantVus = {
    "constant-vus",
    validate,
    [](const ScenarioConfig& config, const Segment& segment) { return segment.share(config.vus); },
    [](const ScenarioConfig& config, const Segment& segment) { return segment.share(config.vus); },
    [](const ScenarioConfig& config) { return config.duration; },
    [](const ScenarioConfig& config) {
      return fmt::format("{} looping VUs for {}", config.vus, format_duration(config.duration));
    },
    [](const ScenarioConfig& config, const Segment&, ScenarioShared&) -> std::unique_ptr<Executor> {
      return std::make_unique<ConstantVus>(config);
    },
};

}  // namespace lueng::exec
