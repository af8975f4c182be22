// shared-iterations: a total number of iterations shared by all VUs of all
// workers; fast VUs take more of them. Bounded by maxDuration.
#include "engine/exec/executor_kinds.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/scenario_shared.hpp"

namespace lueng::exec {

namespace {

class SharedIterations final : public Executor {
 public:
  SharedIterations(const ScenarioConfig& config, ScenarioShared& shared)
      : iterations_(config.iterations), max_duration_(config.max_duration), shared_(shared) {}

  void start(ScenarioRun& run) override {
    run.finish_after(max_duration_);
    for (Vu* vu : run.vus())
      if (!claim(run, *vu)) break;
    if (run.busy() == 0) run.finish();
  }

  void on_iteration_end(ScenarioRun& run, Vu& vu) override {
    if (!claim(run, vu) && run.busy() == 0) run.finish();
  }

 private:
  bool claim(ScenarioRun& run, Vu& vu) {
    if (shared_.iterations_claimed.fetch_add(1, std::memory_order_relaxed) >= iterations_)
      return false;
    run.start_iteration(vu);
    return true;
  }

  int64_t iterations_;
  double max_duration_;
  ScenarioShared& shared_;
};

std::string validate(const ScenarioConfig& config) {
  if (config.vus < 1) return "vus must be at least 1";
  if (config.iterations < 1) return "iterations must be at least 1";
  if (config.iterations < config.vus)
    return "iterations (" + std::to_string(config.iterations) + ") must not be fewer than vus (" +
           std::to_string(config.vus) + ")";
  if (config.max_duration <= 0) return "maxDuration must be longer than 0s";
  return "";
}

}  // namespace

const ExecutorKind kSharedIterations = {
    "shared-iterations",
    validate,
    [](const ScenarioConfig& config, const Segment& segment) { return segment.share(config.vus); },
    [](const ScenarioConfig& config, const Segment& segment) { return segment.share(config.vus); },
    [](const ScenarioConfig& config) { return config.max_duration; },
    [](const ScenarioConfig& config) {
      return fmt::format("{} iterations shared among {} VUs (maxDuration: {})", config.iterations,
                         config.vus, format_duration(config.max_duration));
    },
    [](const ScenarioConfig& config, const Segment&, ScenarioShared& shared)
        -> std::unique_ptr<Executor> { return std::make_unique<SharedIterations>(config, shared); },
};

}  // namespace lueng::exec
