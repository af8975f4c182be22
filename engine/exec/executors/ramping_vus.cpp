// ramping-vus: the number of looping VUs follows the stage targets linearly.
// VUs that are no longer needed finish their iteration within gracefulRampDown.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/common/duration.hpp"
#include "engine/exec/executor.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/scenario_table.hpp"
#include "engine/exec/vu.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::exec {

namespace {

constexpr double kTick = 0.05;  // how often the VU count is brought to the target

class Config final : public ExecutorConfig {
 public:
  int64_t start_vus = 1;
  std::vector<Stage> stages;  // targets are VUs
  double graceful_ramp_down = 30;

  // The VU target at `t` seconds into the stages, linear within each stage.
  double target_at(double t) const {
    double from = static_cast<double>(start_vus);
    for (const Stage& stage : stages) {
      auto to = static_cast<double>(stage.target);
      if (t < stage.duration) return from + (to - from) * (t / stage.duration);
      t -= stage.duration;
      from = to;
    }
    return from;
  }
  int64_t max_target() const {
    int64_t most = start_vus;
    for (const Stage& stage : stages) most = std::max(most, stage.target);
    return most;
  }

  std::string validate() const override {
    if (stages.empty()) return "stages must list at least one { duration, target }";
    if (total_duration(stages) <= 0) return "stages must last longer than 0s";
    if (max_target() < 1) return "at least one stage target (or startVUs) must be 1 or more";
    return "";
  }
  int64_t max_vus(const Segment& segment) const override { return segment.share(max_target()); }
  double max_duration() const override { return total_duration(stages); }
  std::string describe() const override {
    return fmt::format(
        "up to {} looping VUs for {} over {} stages (startVUs: {}, gracefulRampDown: {})",
        max_target(), format_duration(total_duration(stages)), stages.size(), start_vus,
        format_duration(graceful_ramp_down));
  }
  void summarize(result::ScenarioSummary& summary) const override {
    summary.vus = start_vus;
    summary.start_target = start_vus;
    for (const Stage& stage : stages) summary.stages.emplace_back(stage.duration, stage.target);
    summary.load = result::LoadShape::kRamping;
  }
  std::unique_ptr<Executor> create(const Segment& segment, ScenarioShared&) const override;
};

class RampingVus final : public Executor {
 public:
  RampingVus(const Config& config, const Segment& segment)
      : config_(config),
        segment_(segment),
        retire_at_(static_cast<size_t>(segment.share(config.max_target())), 0) {}

  void start(ScenarioRun& run) override {
    run.finish_after(total_duration(config_.stages));
    on_wakeup(run, 0);
  }

  void on_wakeup(ScenarioRun& run, uint64_t) override {
    double now = run.elapsed();
    auto total = static_cast<int64_t>(std::floor(config_.target_at(now) + 1e-9));
    auto wanted = static_cast<size_t>(segment_.share(total));
    const auto& vus = run.vus();
    wanted = std::min(wanted, vus.size());
    for (size_t i = active_; i < wanted; ++i) {
      retire_at_[i] = 0;
      run.start_iteration(*vus[i]);  // no-op for a VU still finishing an iteration
    }
    for (size_t i = wanted; i < active_; ++i) retire_at_[i] = now + config_.graceful_ramp_down;
    active_ = wanted;
    // VUs past their gracefulRampDown are stopped mid-iteration.
    for (size_t i = active_; i < vus.size(); ++i)
      if (retire_at_[i] > 0 && now >= retire_at_[i] && (vus[i]->in_iteration() || vus[i]->queued)) {
        retire_at_[i] = 0;
        vus[i]->abort();
      }
    run.wake_after(kTick);
  }

  void on_iteration_end(ScenarioRun& run, Vu& vu) override {
    if (vu.index_in_run < active_) run.start_iteration(vu);
  }
  bool restarts_at_once() const override { return true; }

 private:
  const Config& config_;
  Segment segment_;
  size_t active_ = 0;
  std::vector<double> retire_at_;  // per VU: when a retired VU's gracefulRampDown ends, 0 if none
};

std::unique_ptr<Executor> Config::create(const Segment& segment, ScenarioShared&) const {
  return std::make_unique<RampingVus>(*this, segment);
}

std::unique_ptr<ExecutorConfig> parse(ScenarioTable& table) {
  auto config = std::make_unique<Config>();
  table.count({"startVUs", "startVus"}, config->start_vus);
  table.stages({"stages"}, config->stages);
  table.duration({"gracefulRampDown"}, config->graceful_ramp_down);
  return config;
}

// Stages (never given with a duration or iterations), starting from vus, as in k6.
std::unique_ptr<ExecutorConfig> from_shortcuts(const Shortcuts& shortcuts) {
  if (shortcuts.stages.empty()) return nullptr;
  auto config = std::make_unique<Config>();
  config->start_vus = shortcuts.vus.value_or(1);
  config->stages = shortcuts.stages;
  return config;
}

}  // namespace

// extern: a const would be private to this file, and the registry lists it.
extern const ExecutorKind kRampingVus = {"ramping-vus", parse, from_shortcuts};

}  // namespace lueng::exec
