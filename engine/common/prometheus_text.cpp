#include "engine/common/prometheus_text.hpp"

#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>

namespace lueng {

namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

class LineReader {
 public:
  explicit LineReader(std::string_view line) : line_(line) {}

  void skip_blanks() {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  }
  bool at_end() const { return pos_ >= line_.size(); }
  bool take(char c) {
    if (pos_ < line_.size() && line_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // A metric name allows ':', a label name does not.
  std::string_view name(bool metric) {
    size_t start = pos_;
    if (pos_ >= line_.size() || !is_name_start(line_[pos_]) || (!metric && line_[pos_] == ':'))
      return {};
    while (pos_ < line_.size() && is_name_char(line_[pos_]) && (metric || line_[pos_] != ':'))
      ++pos_;
    return line_.substr(start, pos_ - start);
  }
  // A quoted label value with \\, \" and \n escapes; false when malformed or too long.
  bool quoted(std::string& out) {
    if (!take('"')) return false;
    while (pos_ < line_.size()) {
      char c = line_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (pos_ >= line_.size()) return false;
        char e = line_[pos_++];
        c = e == 'n' ? '\n' : e;  // \\ and \" stand for themselves; others as written
      }
      if (out.size() >= kPromMaxLabelValue) return false;
      out.push_back(c);
    }
    return false;
  }
  std::string_view word() {
    size_t start = pos_;
    while (pos_ < line_.size() && line_[pos_] != ' ' && line_[pos_] != '\t') ++pos_;
    return line_.substr(start, pos_ - start);
  }

 private:
  std::string_view line_;
  size_t pos_ = 0;
};

std::optional<double> parse_value(std::string_view text) {
  if (text == "+Inf" || text == "Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  if (text == "NaN") return NAN;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Empty when the line is a sample (filled in), else why not.
std::string parse_sample(std::string_view line, PromSample& sample, bool keep_labels) {
  LineReader reader(line);
  std::string_view name = reader.name(true);
  if (name.empty()) return "expected a metric name";
  sample.name.assign(name);
  reader.skip_blanks();
  if (reader.take('{')) {
    for (;;) {
      reader.skip_blanks();
      if (reader.take('}')) break;
      std::string_view label = reader.name(false);
      if (label.empty()) return "expected a label name";
      reader.skip_blanks();
      if (!reader.take('=')) return "expected '=' after a label name";
      reader.skip_blanks();
      std::string value;
      if (!reader.quoted(value)) return "expected a quoted label value";
      if (sample.labels.size() >= kPromMaxLabels) return "too many labels";
      if (keep_labels) sample.labels.emplace_back(std::string(label), std::move(value));
      reader.skip_blanks();
      if (reader.take(',')) continue;
      if (reader.take('}')) break;
      return "expected ',' or '}' after a label";
    }
  }
  reader.skip_blanks();
  std::optional<double> value = parse_value(reader.word());
  if (!value) return "expected a value";
  sample.value = *value;
  reader.skip_blanks();
  if (!reader.at_end()) {  // a timestamp in milliseconds, which the scraper's clock replaces
    std::string_view stamp = reader.word();
    int64_t ms = 0;
    if (!stamp.empty() && stamp.front() == '-') stamp.remove_prefix(1);
    auto [end, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), ms);
    if (stamp.empty() || ec != std::errc() || end != stamp.data() + stamp.size())
      return "expected a timestamp after the value";
    reader.skip_blanks();
    if (!reader.at_end()) return "unexpected text after the timestamp";
  }
  return {};
}

}  // namespace

PromParse parse_prometheus_text(std::string_view text,
                                const std::function<bool(std::string_view)>& wanted) {
  PromParse parse;
  size_t line_number = 0;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    line.remove_prefix(first);
    PromSample sample;
    std::string error;
    if (parse.samples.size() >= kPromMaxSamples)
      error = "too many samples";
    else
      error = parse_sample(line, sample, true);
    if (!error.empty()) {
      ++parse.bad_lines;
      if (parse.first_error.empty())
        parse.first_error = fmt::format("line {}: {}", line_number, error);
      continue;
    }
    if (!std::isfinite(sample.value)) continue;
    if (wanted && !wanted(sample.name)) continue;
    parse.samples.push_back(std::move(sample));
  }
  return parse;
}

std::string format_prometheus_sample(const PromSample& sample) {
  std::string out = sample.name;
  if (!sample.labels.empty()) {
    out += '{';
    for (size_t i = 0; i < sample.labels.size(); ++i) {
      if (i) out += ',';
      out += sample.labels[i].first;
      out += "=\"";
      for (char c : sample.labels[i].second) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
          out += "\\n";
          continue;
        }
        out += c;
      }
      out += '"';
    }
    out += '}';
  }
  fmt::format_to(std::back_inserter(out), " {}\n", sample.value);
  return out;
}

}  // namespace lueng
