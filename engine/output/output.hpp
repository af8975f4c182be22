#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/metrics/metric.hpp"
#include "engine/result/run_result.hpp"
#include "engine/thresholds/slo.hpp"

namespace lueng::output {

// A tag set as the output writer knows it: the canonical string (tags.hpp) and,
// per output, the text that output renders it to, made once and then reused.
struct CachedTags {
  std::string encoded;
  struct Rendered {
    bool ready = false;
    std::string text;
  };
  std::vector<Rendered> rendered;  // [output index in the writer]
};

// One sample as the writer hands it to an output.
struct Sample {
  metrics::MetricId metric;
  const metrics::MetricDef& def;
  int64_t unix_ns;  // wall-clock time
  double value;
  std::string_view tags;  // canonical tag set
  CachedTags::Rendered& rendered_tags;
  // k6's sample metadata (lueng.vu.metrics.metadata), encoded as a tag set is; "" when none.
  std::string_view metadata = {};
};

// An output opened before the run (an OutputKind with `open`, cli/output_kinds.hpp):
// it streams every sample as the run goes (k6's json and csv), or writes from
// the result model at the end (Locust's files), or both.
class Output {
 public:
  virtual ~Output() = default;
  // Once the script's options are read, before the run starts (and before the
  // writer thread does): the thresholds the script declares.
  virtual void set_thresholds(const std::vector<thresholds::SloDefinition>& /*slos*/) {}
  // Then, before the run starts too: the system tags samples carry (k6's names;
  // systemTags), for outputs whose layout depends on them (CSV's columns).
  virtual void set_system_tags(const std::vector<std::string>& /*names*/) {}
  // True when the output wants every sample during the run.
  virtual bool streams_samples() const { return false; }
  // On the output writer's thread, never on an event loop.
  virtual void add_sample(const Sample& /*sample*/) {}
  // On the writer's thread whenever it has drained every sample queued (at
  // least every few milliseconds): for what is due by the clock, such as a flush.
  virtual void tick(int64_t /*unix_ns*/) {}
  // After the run ended (completed, interrupted or aborted) and the writer
  // stopped: write what is left and close. Returns "" or the problem.
  virtual std::string finish(const result::RunResult& result) = 0;
};

// A kind of output, one line of the table of them (cli/output_kinds.hpp). Every kind
// is opened before the run (so a target that cannot be written fails at once,
// naming it) and finished with the result model once the run has ended, also
// after an interrupt or an abort. What it does in between is its own: stream
// every sample (json, csv) or nothing and render at the end (html, markdown,
// junit, locust).
struct OutputKind {
  const char* name;
  const char* help;
  // nullptr with *error set (naming the target) when the target cannot be written.
  std::unique_ptr<Output> (*open)(const std::string& target, std::string* error);
  // Made from the result model alone: `lueng report RESULT --NAME FILE` offers it.
  bool from_result_file = false;
  // `--out NAME` alone is valid: open() gets "" and uses its default target.
  bool target_optional = false;
  // The files the output writes for a target, so that two outputs of one run
  // cannot name the same file (nothing for standard output or a URL); nullptr:
  // the target itself.
  std::vector<std::string> (*files)(const std::string& target) = nullptr;
};

}  // namespace lueng::output
