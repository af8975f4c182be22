#pragma once

#include <string>
#include <vector>

#include "engine/exec/run_plan.hpp"

namespace lueng::exec {

// The live view of a running test, one line per scenario: elapsed/total, VUs,
// iterations, req/s and failures. On a terminal the lines are redrawn every
// second; elsewhere (CI logs) they are printed every 10 seconds.
class ProgressView {
 public:
  ProgressView(const RunPlan& plan, bool terminal);
  void update(double elapsed_seconds);  // called once per second
  void finish();

 private:
  std::string render(double elapsed_seconds, double interval_seconds);

  const RunPlan& plan_;
  bool terminal_;
  int lines_drawn_ = 0;
  double last_print_ = 0;
  double last_update_ = 0;
  std::vector<int64_t> last_requests_;
};

}  // namespace lueng::exec
