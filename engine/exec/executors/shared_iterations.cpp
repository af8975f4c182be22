// shared-iterations: a total number of iterations shared by all VUs of all
// workers; fast VUs take more of them. Bounded by maxDuration.
#include <optional>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/exec/executor.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/scenario_shared.hpp"
#include "engine/exec/scenario_table.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

namespace {

class SharedIterations final : public Executor {
 public:
  SharedIterations(int64_t iterations, double max_duration, ScenarioShared& shared)
      : iterations_(iterations), max_duration_(max_duration), shared_(shared) {}

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

class Config final : public ExecutorConfig {
 public:
  int64_t vus = 1;
  int64_t iterations = 1;       // over all VUs
  double max_duration_s = 600;  // maxDuration

  std::string validate() const override {
    if (vus < 1) return "vus must be at least 1";
    if (iterations < 1) return "iterations must be at least 1";
    if (iterations < vus)
      return "iterations (" + std::to_string(iterations) + ") must not be fewer than vus (" +
             std::to_string(vus) + ")";
    if (max_duration_s <= 0) return "maxDuration must be longer than 0s";
    return "";
  }
  int64_t max_vus(const Segment& segment) const override { return segment.share(vus); }
  // An instance's iterations follow its VUs, as in k6: the sequence re-cut by the
  // VU count shares them out, so an instance without VUs has no iterations.
  int64_t instance_iterations(const Segment& segment) const {
    if (!segment.instance) return iterations;
    std::optional<ExecutionTuple> by_vus = segment.instance->for_value(vus);
    return by_vus ? by_vus->scale(iterations) : 0;
  }
  std::string describe_share(const Segment& instance) const override {
    return fmt::format("{} of {} VUs, {} of {} iterations", max_vus(instance.whole_instance()), vus,
                       instance_iterations(instance), iterations);
  }
  double max_duration() const override { return max_duration_s; }
  std::string describe() const override {
    return fmt::format("{} iterations shared among {} VUs (maxDuration: {})", iterations, vus,
                       format_duration(max_duration_s));
  }
  int64_t total_iterations() const override { return iterations; }
  void summarize(result::ScenarioSummary& summary) const override {
    summary.vus = vus;
    summary.iterations = iterations;
    summary.load = result::LoadShape::kOther;
  }
  std::unique_ptr<Executor> create(const Segment& segment, ScenarioShared& shared) const override {
    // The counter is shared by this process's workers: it counts the instance's part.
    return std::make_unique<SharedIterations>(instance_iterations(segment), max_duration_s, shared);
  }
};

std::unique_ptr<ExecutorConfig> parse(ScenarioTable& table) {
  auto config = std::make_unique<Config>();
  table.count({"vus"}, config->vus);
  table.count({"iterations"}, config->iterations);
  table.duration({"maxDuration"}, config->max_duration_s);
  return config;
}

// Iterations, with a duration as their maxDuration; or VUs alone, each VU's one
// iteration shared among them (as many iterations as VUs). Both as in k6
// (lib/executor/execution_config_shortcuts.go).
std::unique_ptr<ExecutorConfig> from_shortcuts(const Shortcuts& shortcuts) {
  bool vus_alone = shortcuts.vus && !shortcuts.duration;
  if (!(shortcuts.iterations || vus_alone) || !shortcuts.stages.empty()) return nullptr;
  auto config = std::make_unique<Config>();
  config->vus = shortcuts.vus.value_or(1);
  config->iterations = shortcuts.iterations.value_or(config->vus);
  if (shortcuts.duration) config->max_duration_s = *shortcuts.duration;
  return config;
}

}  // namespace

// extern: a const would be private to this file, and the registry lists it.
extern const ExecutorKind kSharedIterations = {"shared-iterations", parse, from_shortcuts};

}  // namespace lueng::exec
