// The console, Markdown and JSON forms of a comparison (compare_render.hpp).
#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "engine/common/format.hpp"
#include "engine/report/compare_render.hpp"

namespace lueng::report {

using analysis::Comparison;
using analysis::ComparisonRow;
using analysis::kCompareMinSamples;
using analysis::NotEnoughData;

namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

std::string value_text(const ComparisonRow& row, double value) {
  if (row.is_time) return format_ms(value);
  if (row.is_ratio) return format_percent(value);
  return format_number(std::round(value * 100) / 100);
}

std::string delta_text(const ComparisonRow& row) {
  if (!row.delta_percent) return row.current == row.baseline ? "0.0%" : "new";
  return fmt::format("{:+.1f}%", *row.delta_percent);
}

std::string endpoint_label(const std::string& scope) {
  return scope.empty() ? "all requests" : scope;
}

std::string check_label(const std::string& scope) {
  return scope.empty() ? "all checks" : scope;
}

std::string metric_label(const ComparisonRow& row) {
  return row.scope + " " + row.metric;
}

std::string status_text(const std::optional<thresholds::SloStatus>& status) {
  return status ? thresholds::status_name(*status) : "-";
}

// "GET /health/live: 1 and 1 requests"; `quote` sets a name in Markdown code.
std::string not_enough_data_text(const NotEnoughData& n,
                                 const std::function<std::string(std::string)>& quote) {
  std::string name = n.scope.empty() ? (n.is_check ? "all checks" : "all requests")
                                     : (n.is_check ? "check " : "") + quote(n.scope);
  return fmt::format("{}: {} and {} {}", name, n.baseline, n.current,
                     n.is_check ? "checks" : "requests");
}

// --- console ---

const char* regression_mark(bool regression) {
  return regression ? " ✗ REGRESSION" : "";
}

std::string console_http(const Comparison& c) {
  std::string out;
  std::string scope = "\x01";
  for (const auto& row : c.rows) {
    if (row.scope != scope) {
      scope = row.scope;
      out += fmt::format("\n     {}\n       {:<12} {:>12} {:>12} {:>9}\n", endpoint_label(scope),
                         "metric", "baseline", "current", "delta");
    }
    out += fmt::format("       {:<12} {:>12} {:>12} {:>9}{}\n", row.metric,
                       value_text(row, row.baseline), value_text(row, row.current), delta_text(row),
                       regression_mark(row.regression));
  }
  return out;
}

// A titled table of rows named by `label`, the name column as wide as the longest.
std::string console_table(const std::string& title, const std::string& heading,
                          const std::vector<ComparisonRow>& rows,
                          const std::function<std::string(const ComparisonRow&)>& label) {
  if (rows.empty()) return "";
  size_t width = heading.size();
  for (const auto& row : rows) width = std::max(width, label(row).size());
  std::string out = fmt::format("\n     {}\n       {:<{}} {:>12} {:>12} {:>9}\n", title, heading,
                                width, "baseline", "current", "delta");
  for (const auto& row : rows)
    out += fmt::format("       {:<{}} {:>12} {:>12} {:>9}{}\n", label(row), width,
                       value_text(row, row.baseline), value_text(row, row.current), delta_text(row),
                       regression_mark(row.regression));
  return out;
}

std::string console_slos(const Comparison& c) {
  if (c.slos.empty()) return "";
  size_t width = 3;
  for (const auto& s : c.slos) width = std::max(width, s.slo.size());
  std::string out =
      fmt::format("\n     SLOs\n       {:<{}} {:<9} {}\n", "SLO", width, "baseline", "current");
  for (const auto& s : c.slos) {
    std::string current = status_text(s.current);
    if (s.regression) current = fmt::format("{:<9}{}", current, regression_mark(true));
    out += fmt::format("       {:<{}} {:<9} {}\n", s.slo, width, status_text(s.baseline), current);
  }
  return out;
}

std::string console_not_enough_data(const Comparison& c) {
  if (c.not_enough_data.empty()) return "";
  std::string out = fmt::format(
      "\n     not enough data (fewer than {} in a run; not compared, baseline and current):\n",
      kCompareMinSamples);
  for (const auto& n : c.not_enough_data)
    out += "       " + not_enough_data_text(n, [](std::string name) { return name; }) + "\n";
  return out;
}

// --- Markdown ---

std::string code(std::string text) {
  std::replace(text.begin(), text.end(), '`', '\'');
  std::string out;
  for (char ch : text) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return "`" + out + "`";
}

std::string markdown_table(const std::string& title, const std::string& heading,
                           const std::vector<ComparisonRow>& rows,
                           const std::function<std::string(const ComparisonRow&)>& label) {
  if (rows.empty()) return "";
  std::string out =
      fmt::format("\n### {}\n\n| {} | baseline | current | delta | |\n|---|---:|---:|---:|---|\n",
                  title, heading);
  for (const auto& row : rows)
    out += fmt::format("| {} | {} | {} | {} | {} |\n", label(row), value_text(row, row.baseline),
                       value_text(row, row.current), delta_text(row),
                       row.regression ? "✗ regression" : "");
  return out;
}

std::string markdown_slos(const Comparison& c) {
  if (c.slos.empty()) return "";
  std::string out = "\n### SLOs\n\n| SLO | baseline | current | |\n|---|---|---|---|\n";
  for (const auto& s : c.slos)
    out += fmt::format("| {} | {} | {} | {} |\n", code(s.slo), status_text(s.baseline),
                       status_text(s.current), s.regression ? "✗ regression" : "");
  return out;
}

std::string markdown_not_enough_data(const Comparison& c) {
  if (c.not_enough_data.empty()) return "";
  std::string out = fmt::format(
      "\nNot enough data (fewer than {} in a run; not compared, baseline and current):\n\n",
      kCompareMinSamples);
  for (const auto& n : c.not_enough_data) out += "- " + not_enough_data_text(n, code) + "\n";
  return out;
}

// --- JSON ---

void write_optional_string(Writer& w, const std::string& text) {
  if (text.empty())
    w.Null();
  else
    w.String(text.c_str());
}

// The values of a row after its names: unit, baseline, current, delta, gated, regression.
void write_row_values(Writer& w, const ComparisonRow& row) {
  w.Key("unit");
  w.String(row.is_time ? "ms" : row.is_ratio ? "ratio" : "");
  w.Key("baseline");
  w.Double(row.baseline);
  w.Key("current");
  w.Double(row.current);
  w.Key("delta_percent");
  if (row.delta_percent)
    w.Double(*row.delta_percent);
  else
    w.Null();
  w.Key("gated");
  w.Bool(row.gated);
  w.Key("regression");
  w.Bool(row.regression);
}

// rows: { endpoint (null: all requests), metric, ... }; checks: { check (null: all
// checks), metric, ... }; metrics: { metric, aggregation, ... }.
void write_rows(Writer& w, const char* key, const std::vector<ComparisonRow>& rows,
                const char* scope_key, const char* name_key) {
  w.Key(key);
  w.StartArray();
  for (const auto& row : rows) {
    w.StartObject();
    w.Key(scope_key);
    write_optional_string(w, row.scope);
    w.Key(name_key);
    w.String(row.metric.c_str());
    write_row_values(w, row);
    w.EndObject();
  }
  w.EndArray();
}

void write_slos(Writer& w, const Comparison& c) {
  w.Key("slos");
  w.StartArray();
  for (const auto& s : c.slos) {
    w.StartObject();
    w.Key("slo");
    w.String(s.slo.c_str());
    for (const auto* side : {&s.baseline, &s.current}) {
      w.Key(side == &s.baseline ? "baseline" : "current");
      if (*side)
        w.String(thresholds::status_name(**side));
      else
        w.Null();
    }
    w.Key("regression");
    w.Bool(s.regression);
    w.EndObject();
  }
  w.EndArray();
}

void write_not_enough_data(Writer& w, const Comparison& c) {
  w.Key("not_enough_data");
  w.StartArray();
  for (const auto& n : c.not_enough_data) {
    w.StartObject();
    w.Key(n.is_check ? "check" : "endpoint");
    write_optional_string(w, n.scope);
    w.Key("baseline_count");
    w.Uint64(n.baseline);
    w.Key("current_count");
    w.Uint64(n.current);
    w.EndObject();
  }
  w.EndArray();
}

void write_strings(Writer& w, const char* key, const std::vector<std::string>& list) {
  w.Key(key);
  w.StartArray();
  for (const auto& text : list) w.String(text.c_str());
  w.EndArray();
}

}  // namespace

std::string render_comparison_console(const Comparison& c, const std::string& baseline_name,
                                      const std::string& current_name) {
  std::string out = c.verdict() + "\n";
  for (const auto& warning : c.warnings) out += "WARNING: " + warning + "\n";
  out += fmt::format("\n     baseline: {}\n     current:  {}\n", baseline_name, current_name);
  out += console_http(c);
  out += console_not_enough_data(c);
  out += console_table("checks: pass rate", "check", c.check_rows,
                       [](const ComparisonRow& row) { return check_label(row.scope); });
  out += console_table("other metrics (not gated)", "metric", c.metric_rows, metric_label);
  out += console_slos(c);
  for (const auto& key : c.only_in_baseline) out += "\n     only in the baseline: " + key;
  for (const auto& key : c.only_in_current) out += "\n     only in the current run: " + key;
  return out + "\n";
}

std::string render_comparison_markdown(const Comparison& c, const std::string& baseline_name,
                                       const std::string& current_name) {
  std::string out = fmt::format("## {} {}\n\n", c.regressed() ? "❌" : "✅", c.verdict());
  for (const auto& warning : c.warnings) out += "> ⚠️ **Warning:** " + warning + "\n\n";
  out += fmt::format("Baseline {} vs current {}\n\n", code(baseline_name), code(current_name));
  out += "| endpoint | metric | baseline | current | delta | |\n|---|---|---:|---:|---:|---|\n";
  for (const auto& row : c.rows)
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n",
                       row.scope.empty() ? "all requests" : code(row.scope), row.metric,
                       value_text(row, row.baseline), value_text(row, row.current), delta_text(row),
                       row.regression ? "✗ regression" : "");
  out += markdown_not_enough_data(c);
  out += markdown_table("Checks: pass rate", "check", c.check_rows, [](const ComparisonRow& row) {
    return row.scope.empty() ? std::string("all checks") : code(row.scope);
  });
  out +=
      markdown_table("Other metrics (not gated)", "metric", c.metric_rows,
                     [](const ComparisonRow& row) { return code(row.scope) + " " + row.metric; });
  out += markdown_slos(c);
  for (const auto& key : c.only_in_baseline) out += "\nOnly in the baseline: " + code(key) + "\n";
  for (const auto& key : c.only_in_current) out += "\nOnly in the current run: " + code(key) + "\n";
  return out;
}

std::string render_comparison_json(const Comparison& c, const std::string& baseline_name,
                                   const std::string& current_name) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("baseline");
  w.String(baseline_name.c_str());
  w.Key("current");
  w.String(current_name.c_str());
  w.Key("tolerance_percent");
  w.Double(c.tolerance_percent);
  w.Key("regression");
  w.Bool(c.regressed());
  w.Key("verdict");
  w.String(c.verdict().c_str());
  write_strings(w, "warnings", c.warnings);
  write_rows(w, "rows", c.rows, "endpoint", "metric");
  write_rows(w, "checks", c.check_rows, "check", "metric");
  write_rows(w, "metrics", c.metric_rows, "metric", "aggregation");
  write_slos(w, c);
  write_not_enough_data(w, c);
  write_strings(w, "only_in_baseline", c.only_in_baseline);
  write_strings(w, "only_in_current", c.only_in_current);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace lueng::report
