#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/exec/executor.hpp"

namespace lueng::exec {

// When the j-th iteration (0-based, over all workers) of an arrival-rate
// scenario is due, in seconds from the scenario start; infinity past the end.
class ArrivalSchedule {
 public:
  // A rate that goes linearly from `start` to each stage's target (iterations
  // per second) over the stage's duration. Constant rates are one flat stage.
  ArrivalSchedule(double start_rate, const std::vector<std::pair<double, double>>& stages);
  double time_of(int64_t j);

 private:
  struct Piece {
    double start_time, duration, from_rate, to_rate, start_count;
  };
  std::vector<Piece> pieces_;
  size_t cursor_ = 0;  // iterations are asked for in increasing order
};

// Deals the instance's iteration numbers (all of them without an execution
// segment) to its workers in proportion to their VU shares, so that a worker
// never gets iterations it has no VUs for.
class IterationDealer {
 public:
  IterationDealer(const ExecutorConfig& config, const Segment& segment);
  bool owns(int64_t j) const;

 private:
  int64_t before_ = 0, through_ = 0, total_ = 1;
};

// The open model shared by constant- and ramping-arrival-rate: iterations start
// on schedule whatever the response times; with no free VU a new one is created
// up to maxVUs, past that the iteration is dropped.
class ArrivalRateExecutor final : public Executor {
 public:
  // `stripes`: which arrivals of the whole schedule this instance starts (its
  // execution segment re-cut by maxVUs); none without a segment.
  ArrivalRateExecutor(ArrivalSchedule schedule, IterationDealer dealer, double duration,
                      std::optional<ExecutionTuple> stripes);
  void start(ScenarioRun& run) override;
  void on_iteration_end(ScenarioRun& run, Vu& vu) override;
  void on_wakeup(ScenarioRun& run, uint64_t now_ns) override;

 private:
  static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
  void advance();  // next_ to the next iteration this worker owns, and when it is due

  ArrivalSchedule schedule_;
  IterationDealer dealer_;
  double duration_;
  std::optional<ExecutionTuple> stripes_;
  int64_t local_ = -1;  // the instance's arrival number of next_
  int64_t next_ = -1;   // the whole schedule's arrival number
  uint64_t next_due_ns_ = kNever;
  uint64_t start_ns_ = 0, end_ns_ = 0;
  std::vector<Vu*> idle_;
};

// The options both arrival-rate executors have, read and checked the same way:
// timeUnit and the pool of VUs iterations start on.
struct ArrivalOptions {
  double time_unit = 1;            // seconds; rates are iterations per time_unit
  int64_t pre_allocated_vus = -1;  // -1: not set (it is required)
  int64_t max_vus = -1;            // -1: same as preAllocatedVUs

  void read(ScenarioTable& table);
  std::string validate() const;          // of the VU pool
  std::string describe_vu_pool() const;  // "preAllocatedVUs: 5, maxVUs: 50"
  int64_t most_vus(const Segment& segment) const;
  int64_t initial_vus(const Segment& segment) const;
  // The arrivals of an execution segment follow its VUs, as in k6: the sequence
  // re-cut by maxVUs stripes them. None for the whole test.
  std::optional<ExecutionTuple> stripes(const Segment& segment) const;
  // "4 of 10 VUs, 4 of every 10 arrivals".
  std::string describe_share(const Segment& instance) const;
};

}  // namespace lueng::exec
