#include "engine/cli/live_dashboard.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/analysis/findings.hpp"
#include "engine/common/duration.hpp"
#include "engine/dashboard/snapshot.hpp"

namespace lueng::cli {

namespace {
std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}
}  // namespace

std::vector<std::string> take_bare_dashboard(std::vector<std::string> args, DashboardFlags& flags) {
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    if (args[i] == "--dashboard")
      flags.given = true;
    else
      rest.push_back(args[i]);
  }
  return rest;
}

void add_dashboard_flags(FlagSet& app, DashboardFlags& flags) {
  app.option("--dashboard", flags.address,
             "serve a live web dashboard of the run at HOST:PORT (--dashboard alone: "
             "127.0.0.1:5665; port 0 picks a free one)")
      .on_each([&flags] { flags.given = true; });
  app.option("--dashboard-linger", flags.linger,
             "keep serving the dashboard's final numbers this long after the run (default 0s)");
}

std::string LiveDashboard::open(const DashboardFlags& flags) {
  bool from_env = env("K6_WEB_DASHBOARD") == "true";
  if (!flags.given && !from_env) return "";
  std::string why = "must not be negative";
  auto linger = parse_flag_duration(flags.linger, &why);
  if (!linger || *linger < 0) return flag_duration_error("--dashboard-linger", flags.linger, why);
  linger_seconds_ = *linger;

  std::string address = flags.address, flag = "--dashboard";
  if (address.empty() &&
      (!env("K6_WEB_DASHBOARD_HOST").empty() || !env("K6_WEB_DASHBOARD_PORT").empty())) {
    std::string host = env("K6_WEB_DASHBOARD_HOST");
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    address = host + ":" +
              (env("K6_WEB_DASHBOARD_PORT").empty() ? std::to_string(dashboard::kDefaultPort)
                                                    : env("K6_WEB_DASHBOARD_PORT"));
    flag = "K6_WEB_DASHBOARD_HOST/_PORT";
  }
  std::string host;
  int port = 0;
  if (std::string problem = dashboard::parse_address(address, &host, &port); !problem.empty())
    return flag + " " + problem;
  std::string error;
  server_ = dashboard::Server::listen(host, port, &error);
  std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!server_)
    return flag + " " + shown + ":" + std::to_string(port) + ": cannot listen: " + error +
           " (choose another port, e.g. --dashboard=127.0.0.1:0 for a free one)";
  url_ = "http://" + shown + ":" + std::to_string(server_->port()) + "/";
  if (!dashboard::is_loopback(host))
    fprintf(stderr,
            "  WARN the dashboard listens on %s, not on loopback: whoever reaches this machine "
            "sees the run's numbers\n",
            shown.c_str());
  fprintf(stderr, "  dashboard: %s\n", url_.c_str());
  return "";
}

void LiveDashboard::wire(exec::TestRunConfig& config) {
  if (!server_) return;
  config.side_loop = server_->loop();
  config.live = [server = server_.get()](result::RunResult partial) {
    partial.findings = analysis::compute_findings(partial);
    server->publish(dashboard::snapshot_json(partial, false));
  };
}

void LiveDashboard::finish(const result::RunResult& result) {
  if (server_) server_->finish(dashboard::snapshot_json(result, true));
}

void LiveDashboard::linger(exec::StopSignals& signals) {
  if (!server_) return;
  if (linger_seconds_ > 0)
    fprintf(stderr, "  dashboard: the final numbers stay at %s for %s (Ctrl-C ends it)\n",
            url_.c_str(), format_duration(linger_seconds_).c_str());
  server_->serve_for(linger_seconds_, signals.fd());
  // Read now, the signal is not delivered when the mask is restored at exit.
  signals.take();
  server_.reset();
}

}  // namespace lueng::cli
