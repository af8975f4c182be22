// Prometheus text pages as a scraped target sends them (engine/common/prometheus_text):
// options.monitor reads whatever the target's metrics endpoint answers.
//
// Checked besides crashes: what the parser keeps is within its bounds (names
// valid, values finite, at most kPromMaxLabels labels and kPromMaxSamples
// samples), the bad lines and the kept samples never outnumber the lines, and
// every kept sample, written back in the format, reads back as itself.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/common/prometheus_text.hpp"

namespace {

bool valid_name(std::string_view name, bool metric) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  lueng::PromParse parse = lueng::parse_prometheus_text(text);
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  if (parse.samples.size() + parse.bad_lines > lines) std::abort();
  if (parse.samples.size() > lueng::kPromMaxSamples) std::abort();
  if ((parse.bad_lines == 0) != parse.first_error.empty()) std::abort();
  for (const lueng::PromSample& sample : parse.samples) {
    if (!valid_name(sample.name, true) || !std::isfinite(sample.value)) std::abort();
    if (sample.labels.size() > lueng::kPromMaxLabels) std::abort();
    for (const auto& [key, value] : sample.labels)
      if (!valid_name(key, false) || value.size() > lueng::kPromMaxLabelValue) std::abort();
    lueng::PromParse again = lueng::parse_prometheus_text(lueng::format_prometheus_sample(sample));
    if (again.bad_lines != 0 || again.samples.size() != 1) std::abort();
    if (again.samples[0].name != sample.name || again.samples[0].labels != sample.labels ||
        again.samples[0].value != sample.value)
      std::abort();
  }
  // Filtering keeps a subset, in order.
  lueng::PromParse wanted = lueng::parse_prometheus_text(
      text, [](std::string_view name) { return name.starts_with("process_"); });
  if (wanted.samples.size() > parse.samples.size() || wanted.bad_lines != parse.bad_lines)
    std::abort();
  return 0;
}
