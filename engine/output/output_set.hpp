#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/output/output.hpp"
#include "engine/output/sample_writer.hpp"

namespace lueng::output {

// The outputs of one run (--out KIND=TARGET, --csv PREFIX) and, when one of
// them streams samples, the writer thread that feeds it.
class OutputSet {
 public:
  OutputSet() = default;
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // Opens an output of a kind (cli/output_kinds.hpp). Returns "" or the problem, naming the
  // option as the user gave it: `flag`, by default "--out KIND=TARGET".
  std::string add(const OutputKind& kind, const std::string& target, std::string flag = "");
  // After the script's options are read and before the run: hands the
  // thresholds to every output (k6's JSON lines list them).
  void set_thresholds(const std::vector<thresholds::SloDefinition>& slos);
  void set_system_tags(const std::vector<std::string>& names);
  // Call after the last add(): nullptr when no output streams samples, so the
  // run records exactly as without outputs.
  SampleWriter* sample_writer();

  // After the run, also an interrupted or aborted one: stops the writer (what
  // it had to drop goes to result.dropped_samples) and finishes every output.
  // Returns the problems, one per output that could not be written.
  std::vector<std::string> finish(result::RunResult& result);

 private:
  std::vector<std::unique_ptr<Output>> outputs_;
  std::vector<std::string> flags_;
  std::unique_ptr<SampleWriter> writer_;  // after outputs_: stops before they go
  bool writer_made_ = false;
};

}  // namespace lueng::output
