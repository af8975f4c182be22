#include "engine/result/result_merge.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "engine/common/exit_codes.hpp"
#include "engine/result/detail_series_merge.hpp"
#include "engine/result/failures.hpp"
#include "engine/result/measured.hpp"
#include "engine/result/metrics_merge.hpp"
#include "engine/result/segments.hpp"
#include "engine/result/series_merge.hpp"
#include "engine/result/slo_series.hpp"
#include "engine/thresholds/evaluate.hpp"

namespace lueng::result {

namespace {

// Instances of one test start together; files further apart are not one test
// (and their offsets stay far from overflowing anything).
constexpr int64_t kMaxStartSpreadMs = 24 * 3600 * 1000;
// Seconds of a time series lueng could have written (about 30 years).
constexpr int64_t kMaxSeriesSecond = int64_t{1} << 30;

// Sums of counts read from files, which a hand-edited file could push past the
// type: saturated rather than overflowed.
template <typename T>
void add_to(T& into, T value) {
  if (__builtin_add_overflow(into, value, &into))
    into = value > 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::min();
}

// The read-back clock of merged gauges (as result_reader's): far from 0, so
// sample times before the start stay in range.
constexpr uint64_t kMergedClockStart = uint64_t{1} << 62;

std::string segment_text(const RunResult& r) {
  return r.execution_segment ? r.execution_segment->segment : "0:1";
}

void check_scripts(const std::vector<MergeSource>& inputs, std::vector<std::string>& warnings) {
  const MergeSource& first = inputs.front();
  for (const MergeSource& input : inputs)
    if (input.result.script_sha256 != first.result.script_sha256)
      throw MergeRefused(fmt::format(
          "{} and {} ran different scripts (script_sha256 '{}' and '{}'): merge the result "
          "files of one test",
          first.file, input.file, first.result.script_sha256, input.result.script_sha256));
  if (first.result.script_sha256.empty())
    warnings.push_back(
        "the inputs record no script_sha256 (written by an older lueng): "
        "cannot check that they ran the same script");
}

// A merged input covers the pieces of its own coverage; any other its segment.
std::vector<ExecutionSegment> segments_of(const MergeSource& input) {
  const RunResult& r = input.result;
  if (!r.coverage) {
    try {
      return {segment_of(r.execution_segment)};
    } catch (const std::invalid_argument& error) {
      throw MergeRefused(fmt::format("{}: execution_segment: '{}': {}", input.file, segment_text(r),
                                     error.what()));
    }
  }
  std::vector<ExecutionSegment> segments;
  for (const std::string& piece : r.coverage->covered) {
    ExecutionSegment segment;
    if (std::string problem = parse_execution_segment(piece, segment); !problem.empty())
      throw MergeRefused(fmt::format("{}: coverage.covered: '{}': {}", input.file, piece, problem));
    segments.push_back(segment);
  }
  if (segments.empty())
    throw MergeRefused(input.file + ": coverage.covered is empty: it covers no part of the test");
  return segments;
}

// Runs of one test: started within a day of each other, seconds in range.
void check_times(const std::vector<MergeSource>& inputs) {
  const MergeSource* earliest = &inputs.front();
  for (const MergeSource& input : inputs)
    if (input.result.start_unix_ms < earliest->result.start_unix_ms) earliest = &input;
  for (const MergeSource& input : inputs) {
    int64_t spread = 0;
    if (__builtin_sub_overflow(input.result.start_unix_ms, earliest->result.start_unix_ms,
                               &spread) ||
        spread > kMaxStartSpreadMs)
      throw MergeRefused(
          fmt::format("{} and {} started more than a day apart: not the segments of one test run",
                      earliest->file, input.file));
    for (const TimePoint& p : input.result.time_series)
      if (p.second > kMaxSeriesSecond || p.second < -kMaxSeriesSecond)
        throw MergeRefused(
            fmt::format("{}: time_series: t {} is out of range", input.file, p.second));
    for (const EndpointSeries& series : input.result.endpoint_series)
      for (const EndpointPoint& p : series.points)
        if (p.second > kMaxSeriesSecond)
          throw MergeRefused(
              fmt::format("{}: endpoint_series: t {} is out of range", input.file, p.second));
    for (const MetricSeries& series : input.result.metric_series)
      for (const MetricPoint& p : series.points)
        if (p.second > kMaxSeriesSecond)
          throw MergeRefused(
              fmt::format("{}: metric_series: t {} is out of range", input.file, p.second));
  }
}

Coverage check_segments(const std::vector<MergeSource>& inputs, RunResult& merged,
                        std::vector<std::string>& warnings) {
  std::vector<ExecutionSegment> spans;
  std::vector<size_t> owner;  // spans[i] is of inputs[owner[i]]
  for (size_t i = 0; i < inputs.size(); ++i)
    for (const ExecutionSegment& span : segments_of(inputs[i])) {
      spans.push_back(span);
      owner.push_back(i);
    }
  SpanCoverage c = cover(spans);
  if (c.overlap_first >= 0) {
    const MergeSource& a = inputs[owner[static_cast<size_t>(c.overlap_first)]];
    const MergeSource& b = inputs[owner[static_cast<size_t>(c.overlap_second)]];
    throw MergeRefused(
        fmt::format("{} and {} cover the same part of the test ({} and {}): each segment once{}",
                    a.file, b.file, spans[static_cast<size_t>(c.overlap_first)].text(),
                    spans[static_cast<size_t>(c.overlap_second)].text(),
                    a.result.execution_segment && b.result.execution_segment
                        ? ""
                        : " (a run without --execution-segment is the whole test, 0:1)"));
  }
  if (!c.whole()) {
    std::string missing;
    for (const std::string& gap : c.coverage.missing)
      missing += (missing.empty() ? "" : ", ") + gap;
    warnings.push_back(fmt::format(
        "segments missing: {} of the test has no result file; the merged result covers only "
        "part of the test (coverage in the merged file)",
        missing));
    merged.execution_segment = segment_info(c.hull);
  }
  return c.coverage;
}

bool same_slo(const thresholds::SloDefinition& a, const thresholds::SloDefinition& b) {
  auto warn = [](const thresholds::SloDefinition& s) { return s.warn ? s.warn->text : ""; };
  return std::tie(a.where, a.selector.metric, a.selector.filter, a.metric.type, a.threshold.text,
                  a.priority, a.abort_on_fail, a.delay_abort_eval, a.description, a.allow_empty,
                  a.window) == std::tie(b.where, b.selector.metric, b.selector.filter,
                                        b.metric.type, b.threshold.text, b.priority,
                                        b.abort_on_fail, b.delay_abort_eval, b.description,
                                        b.allow_empty, b.window) &&
         warn(a) == warn(b);
}

// The inputs' SLO definitions, which must be the same ones.
std::vector<thresholds::SloDefinition> common_slos(const std::vector<MergeSource>& inputs) {
  const MergeSource& first = inputs.front();
  std::vector<thresholds::SloDefinition> slos;
  for (const auto& r : first.result.slo.results) slos.push_back(r.slo);
  for (const MergeSource& input : inputs) {
    const auto& results = input.result.slo.results;
    bool same = results.size() == slos.size();
    for (size_t k = 0; same && k < slos.size(); ++k) same = same_slo(results[k].slo, slos[k]);
    if (!same)
      throw MergeRefused(fmt::format(
          "{} and {} hold different SLOs (slos.results): merge the result files of one test, "
          "or give the SLOs to check with --slo FILE.lua",
          first.file, input.file));
  }
  return slos;
}

std::vector<ScriptErrorCount> merge_errors(const std::vector<MergeSource>& inputs) {
  std::vector<ScriptErrorCount> out;
  std::map<std::tuple<std::string, std::string, bool>, size_t> index;
  for (const MergeSource& input : inputs)
    for (const ScriptErrorCount& e : input.result.script_errors) {
      auto [it, added] = index.try_emplace({e.message, e.phase, e.deliberate}, out.size());
      if (added)
        out.push_back(e);
      else
        out[it->second].count += e.count;
    }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.count > b.count; });
  if (out.size() > kMergedErrorMessages) out.resize(kMergedErrorMessages);
  return out;
}

// A segmented run's scenarios describe the whole test's load (its VUs,
// iterations and stages), so they are kept as they are; what each instance
// measured of them adds up.
std::vector<ScenarioSummary> merge_scenarios(const std::vector<MergeSource>& inputs) {
  std::vector<ScenarioSummary> out;
  for (const MergeSource& input : inputs)
    for (const ScenarioSummary& s : input.result.scenarios) {
      auto it =
          std::find_if(out.begin(), out.end(), [&](const auto& o) { return o.name == s.name; });
      if (it == out.end()) {
        out.push_back(s);
        continue;
      }
      add_to(it->iterations_completed, s.iterations_completed);
      add_to(it->iterations_interrupted, s.iterations_interrupted);
    }
  return out;
}

// The facts of the run as a whole: earliest start, latest end, everything used.
void merge_run_facts(const std::vector<MergeSource>& inputs, RunResult& merged) {
  const RunResult& first = inputs.front().result;
  merged.lueng_version = first.lueng_version;
  merged.script = first.script;
  merged.module_paths = first.module_paths;
  merged.base_url = first.base_url;
  merged.script_sha256 = first.script_sha256;
  merged.options_json = first.options_json;
  merged.random_seed = first.random_seed;
  merged.start_at_unix_ms = first.start_at_unix_ms;
  merged.start_unix_ms = first.start_unix_ms;
  merged.end_unix_ms = first.end_unix_ms;
  std::set<std::string> hosts;
  for (const MergeSource& input : inputs) {
    const RunResult& r = input.result;
    merged.start_unix_ms = std::min(merged.start_unix_ms, r.start_unix_ms);
    merged.end_unix_ms = std::max(merged.end_unix_ms, r.end_unix_ms);
    if (r.random_seed != merged.random_seed) merged.random_seed.reset();
    if (r.start_at_unix_ms != merged.start_at_unix_ms) merged.start_at_unix_ms.reset();
    if (hosts.insert(r.host).second) merged.host += (merged.host.empty() ? "" : ", ") + r.host;
    if (r.interrupted && !merged.interrupted) {
      merged.interrupted = true;
      merged.interrupt_reason = r.interrupt_reason;
    }
    merged.partial = merged.partial || r.partial;
    add_to(merged.workers, r.workers);
    add_to(merged.max_vus, r.max_vus);
    add_to(merged.overflowed_tag_sets, r.overflowed_tag_sets);
    add_to(merged.dropped_samples, r.dropped_samples);
    add_to(merged.failures_unlisted, r.failures_unlisted);
    // An input of an older version lists no failures: rows from its metrics' tags.
    merge_failures(merged.failures, failure_table(r), &merged.failures_unlisted);
  }
  for (const MergeSource& input : inputs) {
    const RunResult& r = input.result;
    double offset = static_cast<double>(r.start_unix_ms - merged.start_unix_ms) / 1000;
    merged.duration_seconds = std::max(merged.duration_seconds, offset + r.duration_seconds);
    merged.merged_from.push_back({input.file, segment_text(r), r.script_sha256, r.start_unix_ms,
                                  r.end_unix_ms, r.exit_code, r.slo.aborted_by, r.interrupted});
  }
}

// The first input (by its start) that an abort_on_fail SLO stopped: the
// merged run was aborted by it.
std::string aborted_by(const std::vector<MergeSource>& inputs) {
  const RunResult* first = nullptr;
  for (const MergeSource& input : inputs)
    if (!input.result.slo.aborted_by.empty() &&
        (!first || input.result.end_unix_ms < first->end_unix_ms))
      first = &input.result;
  return first ? first->slo.aborted_by : "";
}

}  // namespace

MergedResult merge_results(const std::vector<MergeSource>& inputs) {
  if (inputs.empty()) throw MergeRefused("no result files to merge");
  MergedResult out;
  RunResult& merged = out.result;
  check_scripts(inputs, out.warnings);
  check_times(inputs);
  merged.coverage = check_segments(inputs, merged, out.warnings);
  std::vector<thresholds::SloDefinition> slos = common_slos(inputs);
  for (const MergeSource& input : inputs)
    if (input.result.partial)
      out.warnings.push_back(input.file +
                             " is partial (written during its run): the numbers so far only");

  merge_run_facts(inputs, merged);
  merged.clock_start_ns = kMergedClockStart;
  std::vector<SeriesPart> series;
  std::vector<DetailPart> details;
  std::vector<MetricsPart> metrics;
  for (const MergeSource& input : inputs) {
    int64_t offset_ms = input.result.start_unix_ms - merged.start_unix_ms;
    auto offset = static_cast<int64_t>(std::llround(static_cast<double>(offset_ms) / 1000));
    series.push_back({&input.result.time_series, offset});
    details.push_back({&input.result, offset});
    metrics.push_back({&input.result.metrics, input.result.clock_start_ns, offset_ms * 1000000});
  }
  merged.time_series = merge_series(series);
  merge_detail_series(details, merged);
  merged.metrics = merge_metrics(metrics, merged.clock_start_ns, merged.time_series);
  merged.scenarios = merge_scenarios(inputs);
  merged.script_errors = merge_errors(inputs);
  // Instances scraping one target would repeat each other's series: one input's only.
  if (inputs.size() == 1) merged.monitor = inputs.front().result.monitor;

  bool strict = false;
  for (const MergeSource& input : inputs) strict = strict || input.result.slo.strict;
  merged.slo = thresholds::evaluate_all(slos, merged.metrics, merged.duration_seconds, strict,
                                        aborted_by(inputs), seconds_in(merged.time_series));
  apply_measurement_rules(merged.slo, merged);
  merged.exit_code = merged_exit_code(merged);
  return out;
}

int merged_exit_code(const RunResult& merged) {
  if (merged.interrupted) return kExitInterrupted;
  bool phase_error = std::any_of(merged.script_errors.begin(), merged.script_errors.end(),
                                 [](const auto& e) { return e.phase != "iteration"; });
  if (phase_error || merged.slo.exit_code == kExitScriptError) return kExitScriptError;
  return merged.slo.exit_code;
}

}  // namespace lueng::result
