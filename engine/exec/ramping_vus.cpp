// ramping-vus: the number of looping VUs follows the stage targets linearly.
// VUs that are no longer needed finish their iteration within gracefulRampDown.
#include <cmath>

#include "engine/exec/executor_kinds.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::exec {

namespace {

constexpr double kTick = 0.05;  // how often the VU count is brought to the target

// The VU target at `t` seconds into the stages, linear within each stage.
double target_at(const ScenarioConfig& config, double t) {
  double from = static_cast<double>(config.start_vus);
  for (const Stage& stage : config.stages) {
    auto to = static_cast<double>(stage.target);
    if (t < stage.duration) return from + (to - from) * (t / stage.duration);
    t -= stage.duration;
    from = to;
  }
  return from;
}

int64_t max_target(const ScenarioConfig& config) {
  int64_t most = config.start_vus;
  for (const Stage& stage : config.stages) most = std::max(most, stage.target);
  return most;
}

class RampingVus final : public Executor {
 public:
  RampingVus(const ScenarioConfig& config, const Segment& segment)
      : config_(config),
        segment_(segment),
        retire_at_(static_cast<size_t>(segment.share(max_target(config))), 0) {}

  void start(ScenarioRun& run) override {
    run.finish_after(config_.stages_duration());
    on_wakeup(run, 0);
  }

  void on_wakeup(ScenarioRun& run, uint64_t) override {
    double now = run.elapsed();
    auto total = static_cast<int64_t>(std::floor(target_at(config_, now) + 1e-9));
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
  const ScenarioConfig& config_;
  Segment segment_;
  size_t active_ = 0;
  std::vector<double> retire_at_;  // per VU: when a retired VU's gracefulRampDown ends, 0 if none
};

std::string validate(const ScenarioConfig& config) {
  if (config.stages.empty()) return "stages must list at least one { duration, target }";
  if (config.stages_duration() <= 0) return "stages must last longer than 0s";
  if (max_target(config) < 1) return "at least one stage target (or startVUs) must be 1 or more";
  return "";
}

int64_t vus_for(const ScenarioConfig& config, const Segment& segment) {
  return segment.share(max_target(config));
}

}  // namespace

const ExecutorKind kRampingVus = {
    "ramping-vus",
    validate,
    vus_for,
    vus_for,
    [](const ScenarioConfig& config) { return config.stages_duration(); },
    [](const ScenarioConfig& config) {
      return fmt::format(
          "up to {} looping VUs for {} over {} stages (startVUs: {}, gracefulRampDown: {})",
          max_target(config), format_duration(config.stages_duration()), config.stages.size(),
          config.start_vus, format_duration(config.graceful_ramp_down));
    },
    [](const ScenarioConfig& config, const Segment& segment, ScenarioShared&)
        -> std::unique_ptr<Executor> { return std::make_unique<RampingVus>(config, segment); },
};

}  // namespace lueng::exec
