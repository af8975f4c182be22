#include "engine/exec/executors/arrival_rate.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <uv.h>

#include "engine/exec/scenario_run.hpp"
#include "engine/exec/scenario_table.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::exec {

ArrivalSchedule::ArrivalSchedule(double start_rate,
                                 const std::vector<std::pair<double, double>>& stages) {
  double time = 0, count = 0, from = start_rate;
  for (const auto& [duration, to] : stages) {
    pieces_.push_back({time, duration, from, to, count});
    time += duration;
    count += (from + to) / 2 * duration;
    from = to;
  }
}

double ArrivalSchedule::time_of(int64_t j) {
  const auto target = static_cast<double>(j);
  while (cursor_ < pieces_.size()) {
    const Piece& p = pieces_[cursor_];
    double in_piece = (p.from_rate + p.to_rate) / 2 * p.duration;
    double need = target - p.start_count;
    if (need < in_piece - 1e-9) {
      // Solve need = from*x + (to-from)/(2*duration)*x^2 for the offset x.
      double a = (p.to_rate - p.from_rate) / (2 * p.duration);
      double x =
          std::fabs(a) < 1e-12
              ? need / p.from_rate
              : (-p.from_rate + std::sqrt(p.from_rate * p.from_rate + 4 * a * need)) / (2 * a);
      return p.start_time + std::clamp(x, 0.0, p.duration);
    }
    ++cursor_;
  }
  return std::numeric_limits<double>::infinity();
}

IterationDealer::IterationDealer(const ExecutorConfig& config, const Segment& segment) {
  int64_t sum = 0;
  for (int w = 0; w < segment.count; ++w) {
    int64_t share = config.max_vus({w, segment.count, segment.instance});
    if (w == segment.index) before_ = sum;
    sum += share;
    if (w == segment.index) through_ = sum;
  }
  total_ = std::max<int64_t>(sum, 1);
}

bool IterationDealer::owns(int64_t j) const {
  // Among the first n iterations, floor(n * through / total) belong to workers up
  // to and including this one; iteration j is ours when our count grows at it.
  auto count = [&](int64_t n) { return n * through_ / total_ - n * before_ / total_; };
  return count(j + 1) > count(j);
}

ArrivalRateExecutor::ArrivalRateExecutor(ArrivalSchedule schedule, IterationDealer dealer,
                                         double duration, std::optional<ExecutionTuple> stripes)
    : schedule_(std::move(schedule)),
      dealer_(dealer),
      duration_(duration),
      stripes_(std::move(stripes)) {}

void ArrivalRateExecutor::start(ScenarioRun& run) {
  start_ns_ = run.started_ns();
  idle_ = run.vus();
  end_ns_ = start_ns_ + static_cast<uint64_t>(std::llround(duration_ * 1e9));
  advance();
  on_wakeup(run, uv_hrtime());
}

void ArrivalRateExecutor::advance() {
  do ++local_;
  while (!dealer_.owns(local_));
  next_ = stripes_ ? stripes_->global_index(local_) : local_;
  // Each arrival's time comes from the scenario start, never from the one before,
  // so rounding cannot accumulate over a long run.
  double due = schedule_.time_of(next_);
  next_due_ns_ =
      due < duration_ ? start_ns_ + static_cast<uint64_t>(std::llround(due * 1e9)) : kNever;
}

void ArrivalRateExecutor::on_wakeup(ScenarioRun& run, uint64_t now_ns) {
  // Every arrival due by now starts now; the lag of the late ones is recorded.
  while (next_due_ns_ <= now_ns) {
    Vu* vu = nullptr;
    if (!idle_.empty()) {
      vu = idle_.back();
      idle_.pop_back();
    } else {
      vu = run.spawn_vu();
    }
    if (vu)
      run.start_iteration(*vu, next_due_ns_);
    else
      run.drop_iteration();
    advance();
  }
  // The scenario ends at its duration, not at its last arrival, and not by a
  // millisecond timer that could end it before an arrival due just before.
  if (next_due_ns_ != kNever)
    run.wake_at(next_due_ns_);
  else if (now_ns >= end_ns_)
    run.finish();
  else
    run.wake_at(end_ns_);
}

void ArrivalRateExecutor::on_iteration_end(ScenarioRun&, Vu& vu) {
  idle_.push_back(&vu);
}

void ArrivalOptions::read(ScenarioTable& table) {
  table.read({"timeUnit"}, [&](const rapidjson::Value& value, const std::string& at) {
    time_unit = read_duration(value, at);
    if (time_unit <= 0) throw ConfigError(at + ": must be longer than 0s");
  });
  table.count({"preAllocatedVUs", "preAllocatedVus"}, pre_allocated_vus);
  table.count({"maxVUs", "maxVus"}, max_vus);
}

std::string ArrivalOptions::validate() const {
  if (pre_allocated_vus < 0) return "preAllocatedVUs must be set";
  if (max_vus >= 0 && max_vus < pre_allocated_vus)
    return "maxVUs (" + std::to_string(max_vus) + ") must not be below preAllocatedVUs (" +
           std::to_string(pre_allocated_vus) + ")";
  if (std::max(max_vus, pre_allocated_vus) < 1)
    return "preAllocatedVUs or maxVUs must be at least 1";
  return "";
}

std::string ArrivalOptions::describe_vu_pool() const {
  return "preAllocatedVUs: " + std::to_string(pre_allocated_vus) +
         ", maxVUs: " + std::to_string(std::max(max_vus, pre_allocated_vus));
}

int64_t ArrivalOptions::most_vus(const Segment& segment) const {
  return segment.share(std::max(max_vus, pre_allocated_vus));
}

int64_t ArrivalOptions::initial_vus(const Segment& segment) const {
  return segment.share(std::max<int64_t>(pre_allocated_vus, 0));
}

std::optional<ExecutionTuple> ArrivalOptions::stripes(const Segment& segment) const {
  if (!segment.instance) return std::nullopt;
  // No VUs, no executor: a worker runs a scenario only with VUs to run it on.
  return segment.instance->for_value(std::max(max_vus, pre_allocated_vus));
}

std::string ArrivalOptions::describe_share(const Segment& instance) const {
  int64_t most = std::max(max_vus, pre_allocated_vus);
  std::optional<ExecutionTuple> mine = stripes(instance);
  return fmt::format("{} of {} VUs, {} of every {} arrivals", most_vus(instance.whole_instance()),
                     most, mine ? mine->scale(mine->lcd()) : 0, mine ? mine->lcd() : 1);
}

}  // namespace lueng::exec
