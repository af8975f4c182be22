// constant-vus: a fixed number of VUs loop over iterations for a duration.
#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/exec/executor.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/scenario_table.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

namespace {

class ConstantVus final : public Executor {
 public:
  explicit ConstantVus(double duration) : duration_(duration) {}

  void start(ScenarioRun& run) override {
    run.finish_after(duration_);
    for (Vu* vu : run.vus()) run.start_iteration(*vu);
  }

  void on_iteration_end(ScenarioRun& run, Vu& vu) override { run.start_iteration(vu); }
  bool restarts_at_once() const override { return true; }

 private:
  double duration_;
};

class Config final : public ExecutorConfig {
 public:
  int64_t vus = 1;
  double duration = 0;  // seconds; required

  std::string validate() const override {
    if (vus < 1) return "vus must be at least 1";
    if (duration <= 0) return "duration must be set and longer than 0s";
    return "";
  }
  int64_t max_vus(const Segment& segment) const override { return segment.share(vus); }
  double max_duration() const override { return duration; }
  std::string describe() const override {
    return fmt::format("{} looping VUs for {}", vus, format_duration(duration));
  }
  void summarize(result::ScenarioSummary& summary) const override {
    summary.vus = vus;
    summary.duration = duration;
    summary.load = result::LoadShape::kConstant;
  }
  std::unique_ptr<Executor> create(const Segment&, ScenarioShared&) const override {
    return std::make_unique<ConstantVus>(duration);
  }
};

std::unique_ptr<ExecutorConfig> parse(ScenarioTable& table) {
  auto config = std::make_unique<Config>();
  table.count({"vus"}, config->vus);
  table.duration({"duration"}, config->duration);
  return config;
}

// A duration alone (with vus or not), as in k6.
std::unique_ptr<ExecutorConfig> from_shortcuts(const Shortcuts& shortcuts) {
  if (!shortcuts.duration || shortcuts.iterations || !shortcuts.stages.empty()) return nullptr;
  auto config = std::make_unique<Config>();
  config->vus = shortcuts.vus.value_or(1);
  config->duration = *shortcuts.duration;
  return config;
}

}  // namespace

// extern: a const would be private to this file, and the registry lists it.
extern const ExecutorKind kConstantVus = {"constant-vus", parse, from_shortcuts};

}  // namespace lueng::exec
