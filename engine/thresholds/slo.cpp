#include "engine/thresholds/slo.hpp"

namespace lueng::thresholds {

const char* priority_name(Priority priority) {
  switch (priority) {
    case Priority::kP0:
      return "P0";
    case Priority::kP1:
      return "P1";
    case Priority::kP2:
      return "P2";
  }
  return "?";
}

std::optional<Priority> parse_priority(std::string_view text) {
  if (text == "P0" || text == "p0") return Priority::kP0;
  if (text == "P1" || text == "p1") return Priority::kP1;
  if (text == "P2" || text == "p2") return Priority::kP2;
  return std::nullopt;
}

const char* status_name(SloStatus status) {
  switch (status) {
    case SloStatus::kPass:
      return "PASS";
    case SloStatus::kWarning:
      return "WARNING";
    case SloStatus::kFail:
      return "FAIL";
    case SloStatus::kCritical:
      return "CRITICAL";
    case SloStatus::kNoData:
      return "NO DATA";
  }
  return "?";
}

std::optional<SloStatus> parse_status(std::string_view text) {
  for (SloStatus status : {SloStatus::kPass, SloStatus::kWarning, SloStatus::kFail,
                           SloStatus::kCritical, SloStatus::kNoData})
    if (text == status_name(status)) return status;
  return std::nullopt;
}

}  // namespace lueng::thresholds
