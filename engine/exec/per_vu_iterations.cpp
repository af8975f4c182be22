// per-vu-iterations: every VU runs the same number of iterations. Bounded by
// maxDuration.
#include "engine/exec/executor_kinds.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::exec {

namespace {

class PerVuIterations final : public Executor {
 public:
  explicit PerVuIterations(const ScenarioConfig& config)
      : iterations_(static_cast<uint64_t>(config.iterations)), max_duration_(config.max_duration) {}

  void start(ScenarioRun& run) override {
    run.finish_after(max_duration_);
    for (Vu* vu : run.vus()) run.start_iteration(*vu);
  }

  void on_iteration_end(ScenarioRun& run, Vu& vu) override {
    if (vu.iteration_in_scenario() < iterations_)
      run.start_iteration(vu);
    else if (run.busy() == 0)
      run.finish();
  }

 private:
  uint64_t iterations_;
  double max_duration_;
};

std::string validate(const ScenarioConfig& config) {
  if (config.vus < 1) return "vus must be at least 1";
  if (config.iterations < 1) return "iterations must be at least 1";
  if (config.max_duration <= 0) return "maxDuration must be longer than 0s";
  return "";
}

}  // namespace

const ExecutorKind kPerVuIterations = {
    "per-vu-iterations",
    validate,
    [](const ScenarioConfig& config, const Segment& segment) { return segment.share(config.vus); },
    [](const ScenarioConfig& config, const Segment& segment) { return segment.share(config.vus); },
    [](const ScenarioConfig& config) { return config.max_duration; },
    [](const ScenarioConfig& config) {
      return fmt::format("{} iterations for each of {} VUs (maxDuration: {})", config.iterations,
                         config.vus, format_duration(config.max_duration));
    },
    [](const ScenarioConfig& config, const Segment&, ScenarioShared&) -> std::unique_ptr<Executor> {
      return std::make_unique<PerVuIterations>(config);
    },
};

}  // namespace lueng::exec
