#include "engine/output/output_set.hpp"

namespace lueng::output {

using result::RunResult;

OutputSet::~OutputSet() {
  if (writer_) writer_->stop();
}

std::string OutputSet::add(const OutputKind& kind, const std::string& target, std::string flag) {
  if (flag.empty()) flag = "--out " + std::string(kind.name) + (target.empty() ? "" : "=" + target);
  std::string error;
  std::unique_ptr<Output> output = kind.open(target, &error);
  if (!output) return flag + ": " + error;
  outputs_.push_back(std::move(output));
  flags_.push_back(std::move(flag));
  return "";
}

void OutputSet::set_thresholds(const std::vector<thresholds::SloDefinition>& slos) {
  for (auto& output : outputs_) output->set_thresholds(slos);
}

void OutputSet::set_system_tags(const std::vector<std::string>& names) {
  for (auto& output : outputs_) output->set_system_tags(names);
}

SampleWriter* OutputSet::sample_writer() {
  if (!writer_made_) {
    writer_made_ = true;
    std::vector<Output*> streaming;
    for (auto& output : outputs_)
      if (output->streams_samples()) streaming.push_back(output.get());
    if (!streaming.empty()) writer_ = std::make_unique<SampleWriter>(std::move(streaming));
  }
  return writer_.get();
}

std::vector<std::string> OutputSet::finish(RunResult& result) {
  if (writer_) result.dropped_samples = writer_->stop();
  std::vector<std::string> problems;
  for (size_t i = 0; i < outputs_.size(); ++i)
    if (std::string problem = outputs_[i]->finish(result); !problem.empty())
      problems.push_back(flags_[i] + ": " + problem);
  outputs_.clear();
  return problems;
}

}  // namespace lueng::output
