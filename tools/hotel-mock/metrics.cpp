#include "tools/hotel-mock/metrics.hpp"

#include <fmt/format.h>

#include "tools/hotel-mock/process_stats.hpp"

namespace lueng::hotel_mock {

void Metrics::record(Endpoint endpoint, int status, uint64_t duration_ns) {
  size_t slot = kStatuses.size();
  for (size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) slot = i;
  }
  auto e = index_of(endpoint);
  requests_[e][slot].fetch_add(1, std::memory_order_relaxed);
  duration_ns_[e].fetch_add(duration_ns, std::memory_order_relaxed);
  durations_[e].fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(const Gauges& gauges) const {
  std::string out;
  auto it = std::back_inserter(out);
  out +=
      "# HELP hotel_mock_requests_total Requests answered, by endpoint and status.\n"
      "# TYPE hotel_mock_requests_total counter\n";
  for (size_t e = 0; e < kEndpointCount; ++e) {
    auto name = endpoint_name(static_cast<Endpoint>(e));
    for (size_t slot = 0; slot < kSlots; ++slot) {
      uint64_t count = requests_[e][slot].load(std::memory_order_relaxed);
      if (count == 0) continue;
      std::string status = slot < kStatuses.size() ? std::to_string(kStatuses[slot]) : "other";
      fmt::format_to(it, "hotel_mock_requests_total{{endpoint=\"{}\",status=\"{}\"}} {}\n", name,
                     status, count);
    }
  }
  out +=
      "# HELP hotel_mock_request_duration_seconds Time from request to response, added latency "
      "included.\n"
      "# TYPE hotel_mock_request_duration_seconds summary\n";
  for (size_t e = 0; e < kEndpointCount; ++e) {
    uint64_t count = durations_[e].load(std::memory_order_relaxed);
    if (count == 0) continue;
    auto name = endpoint_name(static_cast<Endpoint>(e));
    double sum = static_cast<double>(duration_ns_[e].load(std::memory_order_relaxed)) / 1e9;
    fmt::format_to(it, "hotel_mock_request_duration_seconds_sum{{endpoint=\"{}\"}} {:.6f}\n", name,
                   sum);
    fmt::format_to(it, "hotel_mock_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n", name,
                   count);
  }
  fmt::format_to(it,
                 "# HELP hotel_mock_requests_in_flight Business requests received and not yet "
                 "answered.\n"
                 "# TYPE hotel_mock_requests_in_flight gauge\n"
                 "hotel_mock_requests_in_flight {}\n"
                 "# HELP hotel_mock_capacity Requests in flight before latency grows (0: "
                 "unlimited).\n"
                 "# TYPE hotel_mock_capacity gauge\n"
                 "hotel_mock_capacity {}\n"
                 "# HELP hotel_mock_reservations_active Pre-reservations currently holding dates.\n"
                 "# TYPE hotel_mock_reservations_active gauge\n"
                 "hotel_mock_reservations_active {}\n",
                 gauges.in_flight, gauges.capacity, gauges.active_reservations);
  fmt::format_to(it,
                 "# HELP hotel_mock_open_connections Client connections open now.\n"
                 "# TYPE hotel_mock_open_connections gauge\n"
                 "hotel_mock_open_connections {}\n"
                 "# HELP hotel_mock_leaked_bytes Memory kept for good by --leak.\n"
                 "# TYPE hotel_mock_leaked_bytes gauge\n"
                 "hotel_mock_leaked_bytes {}\n",
                 gauges.open_connections, gauges.leaked_bytes);
  // The Prometheus client libraries' standard process metrics, under their names.
  if (auto process = read_process_stats())
    fmt::format_to(it,
                   "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                   "# TYPE process_resident_memory_bytes gauge\n"
                   "process_resident_memory_bytes {}\n"
                   "# HELP process_cpu_seconds_total Total user and system CPU time spent in "
                   "seconds.\n"
                   "# TYPE process_cpu_seconds_total counter\n"
                   "process_cpu_seconds_total {:.2f}\n"
                   "# HELP process_open_fds Number of open file descriptors.\n"
                   "# TYPE process_open_fds gauge\n"
                   "process_open_fds {}\n",
                   process->resident_bytes, process->cpu_seconds, process->open_fds);
  return out;
}

}  // namespace lueng::hotel_mock
