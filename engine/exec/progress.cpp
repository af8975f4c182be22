#include "engine/exec/progress.hpp"

#include <cmath>
#include <cstdio>

#include <fmt/format.h>
#include <uv.h>

#include "engine/common/duration.hpp"

namespace lueng::exec {

namespace {
constexpr double kPlainInterval = 10;  // lines at every 10 s of the run when not on a terminal
constexpr double kPlainFirst = 2;      // the first line comes early: the run is alive
}  // namespace

ProgressView::ProgressView(const RunPlan& plan, bool terminal)
    : plan_(plan), terminal_(terminal), last_requests_(plan.scenarios.size(), 0) {}

std::string ProgressView::render(double elapsed, double interval) {
  size_t width = 8;
  for (const auto& s : plan_.scenarios) width = std::max(width, s.config.name.size());
  std::string out;
  for (size_t i = 0; i < plan_.scenarios.size(); ++i) {
    const PlannedScenario& s = plan_.scenarios[i];
    const ScenarioShared& shared = *s.shared;
    double total = s.config.executor_config->max_duration();
    int64_t started = shared.started_ns.load(std::memory_order_relaxed);
    double ran =
        started ? static_cast<double>(uv_hrtime() - static_cast<uint64_t>(started)) / 1e9 : 0;
    if (!started && elapsed < s.config.start_time) ran = 0;
    int64_t requests = shared.requests.load(std::memory_order_relaxed);
    int64_t failed = shared.failed_requests.load(std::memory_order_relaxed);
    double rate = interval > 0 ? static_cast<double>(requests - last_requests_[i]) / interval : 0;
    last_requests_[i] = requests;
    std::string iterations = fmt::format("{} iters", shared.iterations_done.load());
    if (int64_t dropped = shared.iterations_dropped.load())
      iterations += fmt::format(", {} dropped", dropped);
    if (int64_t interrupted = shared.iterations_interrupted.load())
      iterations += fmt::format(", {} interrupted", interrupted);
    out += fmt::format(
        "  {:<{}} [{:>3.0f}%] {:>5}/{:<5} VUs  {:>8}/{:<8} {}  {:.1f} req/s  {:.2f}% failed",
        s.config.name, width, total > 0 ? std::min(100.0, 100 * ran / total) : 100,
        shared.busy_vus.load(), shared.initialized_vus.load(),
        format_duration(static_cast<double>(static_cast<int64_t>(std::min(ran, total)))),
        format_duration(total), iterations, rate,
        requests ? 100.0 * static_cast<double>(failed) / static_cast<double>(requests) : 0.0);
    out += terminal_ ? "\x1b[K\n" : "\n";
  }
  return out;
}

void ProgressView::update(double elapsed) {
  if (terminal_) {
    std::string frame = lines_drawn_ ? fmt::format("\x1b[{}A", lines_drawn_) : "";
    frame += render(elapsed, elapsed - last_update_);
    fputs(frame.c_str(), stderr);
    lines_drawn_ = static_cast<int>(plan_.scenarios.size());
  } else if (elapsed >= (last_print_ == 0
                             ? kPlainFirst
                             : (std::floor(last_print_ / kPlainInterval) + 1) * kPlainInterval)) {
    std::string block = fmt::format(
        "running ({})\n", format_duration(static_cast<double>(static_cast<int64_t>(elapsed))));
    block += render(elapsed, elapsed - last_print_);
    fputs(block.c_str(), stderr);
    last_print_ = elapsed;
  }
  last_update_ = elapsed;
}

void ProgressView::finish() {
  if (terminal_ && lines_drawn_) update(last_update_ + 1);
}

}  // namespace lueng::exec
