#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/cli/flag_set.hpp"
#include "engine/dashboard/server.hpp"
#include "engine/exec/stop_signals.hpp"
#include "engine/exec/test_run.hpp"
#include "engine/result/run_result.hpp"

namespace lueng::cli {

// `lueng run --dashboard[=HOST:PORT]` and `--dashboard-linger`.
struct DashboardFlags {
  bool given = false;
  std::string address;  // HOST:PORT as given, "" for the environment's or the default
  std::string linger = "0s";
};

// A bare --dashboard takes no value, but CLI11 would read the script after it
// as one: it is taken out of `args` (flags.given set) before they are parsed.
std::vector<std::string> take_bare_dashboard(std::vector<std::string> args, DashboardFlags& flags);
void add_dashboard_flags(FlagSet& app, DashboardFlags& flags);

// The live web dashboard of one run (docs/user-guide.md, "Live dashboard"): a
// dashboard::Server opened before the run, fed every second of the load by
// TestRunConfig::live and served by the main loop, then given the end-of-run
// numbers and served alone for --dashboard-linger.
class LiveDashboard {
 public:
  // Listens when --dashboard or K6_WEB_DASHBOARD=true asks for it (the address
  // from the flag, else K6_WEB_DASHBOARD_HOST and _PORT, else 127.0.0.1:5665).
  // Returns "" or the problem, naming the flag: a usage error (exit 104) before
  // anything runs.
  std::string open(const DashboardFlags& flags);
  bool enabled() const { return server_ != nullptr; }
  void wire(exec::TestRunConfig& config);
  // The final event: the numbers of the summary and the result file.
  void finish(const result::RunResult& result);
  // Serves the final numbers for --dashboard-linger (SIGINT or SIGTERM ends it,
  // and is taken: the exit status stays the run's), then closes.
  void linger(exec::StopSignals& signals);

 private:
  std::unique_ptr<dashboard::Server> server_;
  double linger_seconds_ = 0;
  std::string url_;
};

}  // namespace lueng::cli
