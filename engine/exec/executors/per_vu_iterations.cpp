// per-vu-iterations: every VU runs the same number of iterations. Bounded by
// maxDuration.
#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/exec/executor.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/scenario_table.hpp"
#include "engine/exec/vu.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

namespace {

class PerVuIterations final : public Executor {
 public:
  PerVuIterations(int64_t iterations, double max_duration)
      : iterations_(static_cast<uint64_t>(iterations)), max_duration_(max_duration) {}

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

class Config final : public ExecutorConfig {
 public:
  int64_t vus = 1;
  int64_t iterations = 1;       // per VU
  double max_duration_s = 600;  // maxDuration

  std::string validate() const override {
    if (vus < 1) return "vus must be at least 1";
    if (iterations < 1) return "iterations must be at least 1";
    if (max_duration_s <= 0) return "maxDuration must be longer than 0s";
    return "";
  }
  int64_t max_vus(const Segment& segment) const override { return segment.share(vus); }
  double max_duration() const override { return max_duration_s; }
  std::string describe() const override {
    return fmt::format("{} iterations for each of {} VUs (maxDuration: {})", iterations, vus,
                       format_duration(max_duration_s));
  }
  std::string describe_share(const Segment& instance) const override {
    int64_t mine = max_vus(instance.whole_instance());
    return fmt::format("{} of {} VUs, {} of {} iterations", mine, vus, mine * iterations,
                       vus * iterations);
  }
  int64_t total_iterations() const override { return iterations * vus; }
  void summarize(result::ScenarioSummary& summary) const override {
    summary.vus = vus;
    summary.iterations = iterations;
    summary.load = result::LoadShape::kOther;
  }
  std::unique_ptr<Executor> create(const Segment&, ScenarioShared&) const override {
    return std::make_unique<PerVuIterations>(iterations, max_duration_s);
  }
};

std::unique_ptr<ExecutorConfig> parse(ScenarioTable& table) {
  auto config = std::make_unique<Config>();
  table.count({"vus"}, config->vus);
  table.count({"iterations"}, config->iterations);
  table.duration({"maxDuration"}, config->max_duration_s);
  return config;
}

// No shortcut at all: one iteration on one VU, as in k6 (VUs alone make a
// shared-iterations scenario, which the registry asks first).
std::unique_ptr<ExecutorConfig> from_shortcuts(const Shortcuts& shortcuts) {
  if (shortcuts.vus || shortcuts.duration || shortcuts.iterations || !shortcuts.stages.empty())
    return nullptr;
  return std::make_unique<Config>();
}

}  // namespace

// extern: a const would be private to this file, and the registry lists it.
extern const ExecutorKind kPerVuIterations = {"per-vu-iterations", parse, from_shortcuts};

}  // namespace lueng::exec
