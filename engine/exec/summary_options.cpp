#include "engine/exec/summary_options.hpp"

#include "engine/exec/option_values.hpp"
#include "engine/exec/options.hpp"
#include "engine/metrics/trend_stats.hpp"

namespace lueng::exec {

namespace {

constexpr const char* kTrendStats = "summaryTrendStats";
constexpr const char* kTimeUnit = "summaryTimeUnit";

std::vector<std::string> read_stats(const rapidjson::Value& value, const std::string& where) {
  std::vector<std::string> stats;
  // Lua writes an empty list as an empty table.
  if (value.IsObject() && value.MemberCount() == 0) return stats;
  if (!value.IsArray())
    throw ConfigError(where + ": must be a list of trend stats, e.g. { \"avg\", \"p(95)\" }");
  for (const auto& stat : value.GetArray()) {
    if (!stat.IsString()) throw ConfigError(where + ": must be a list of strings");
    stats.emplace_back(stat.GetString(), stat.GetStringLength());
  }
  if (std::string problem = trend_stats_problem(stats); !problem.empty())
    throw ConfigError(where + ": " + problem);
  return stats;
}

void remove_spellings(rapidjson::Value& options, const char* camel) {
  for (auto it = options.MemberBegin(); it != options.MemberEnd();) {
    if (to_camel(it->name.GetString()) == camel) {
      it = options.EraseMember(it);
    } else {
      ++it;
    }
  }
}

}  // namespace

std::string trend_stats_problem(const std::vector<std::string>& stats) {
  for (const std::string& stat : stats)
    if (std::string problem = metrics::trend_stat_problem(stat); !problem.empty()) return problem;
  return "";
}

std::string time_unit_problem(std::string_view unit) {
  if (unit.empty() || unit == "s" || unit == "ms" || unit == "us") return "";
  return "invalid summary time unit '" + std::string(unit) + "', use 's', 'ms' or 'us'";
}

SummaryOptions read_summary_options(const rapidjson::Value& options) {
  SummaryOptions summary;
  if (!options.IsObject()) return summary;
  for (const auto& member : options.GetObject()) {
    std::string key = to_camel(member.name.GetString());
    std::string at = std::string("options.") + member.name.GetString();
    if (key == kTrendStats) {
      summary.trend_stats = read_stats(member.value, at);
    } else if (key == kTimeUnit) {
      if (!member.value.IsString()) throw ConfigError(at + ": must be \"s\", \"ms\" or \"us\"");
      std::string unit(member.value.GetString(), member.value.GetStringLength());
      if (std::string problem = time_unit_problem(unit); !problem.empty())
        throw ConfigError(at + ": " + problem);
      summary.time_unit = std::move(unit);
    }
  }
  return summary;
}

void store_summary_options(rapidjson::Document& options, const SummaryOptions& chosen) {
  if (!chosen.trend_stats && !chosen.time_unit) return;
  if (!options.IsObject()) options.SetObject();
  auto& allocator = options.GetAllocator();
  if (chosen.trend_stats) {
    remove_spellings(options, kTrendStats);
    rapidjson::Value list(rapidjson::kArrayType);
    for (const std::string& stat : *chosen.trend_stats)
      list.PushBack(rapidjson::Value(stat.c_str(), allocator), allocator);
    options.AddMember(rapidjson::StringRef(kTrendStats), list, allocator);
  }
  if (chosen.time_unit) {
    remove_spellings(options, kTimeUnit);
    options.AddMember(rapidjson::StringRef(kTimeUnit),
                      rapidjson::Value(chosen.time_unit->c_str(), allocator), allocator);
  }
}

}  // namespace lueng::exec
