#include "engine/output/native_histogram.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace lueng::output {

namespace {

// The lower bounds of schema 3's buckets within one power of two, as fractions
// of frexp's [0.5, 1): 0.5 * 2^(k/8). Comparing frexp's fraction against them
// places a value as Prometheus' Go client does, without log2's rounding at a
// bound.
const std::array<double, 8>& fraction_bounds() {
  static const std::array<double, 8> bounds = [] {
    std::array<double, 8> b{};
    for (int k = 0; k < 8; ++k) b[k] = 0.5 * std::exp2(k / 8.0);
    return b;
  }();
  return bounds;
}

}  // namespace

int32_t NativeHistogram::bucket_index(double magnitude) {
  int exponent = 0;
  double fraction = std::frexp(magnitude, &exponent);
  const auto& bounds = fraction_bounds();
  auto k = static_cast<int32_t>(std::lower_bound(bounds.begin(), bounds.end(), fraction) -
                                bounds.begin());
  return k + (exponent - 1) * 8;
}

void NativeHistogram::add(double value) {
  if (std::isnan(value)) return;
  ++count_;
  sum_ += value;
  double magnitude = std::fabs(value);
  if (magnitude <= kZeroThreshold) {
    ++zero_count_;
    return;
  }
  // Infinities go to the highest bucket a double can reach.
  if (std::isinf(magnitude)) magnitude = std::numeric_limits<double>::max();
  ++(value > 0 ? positive_ : negative_)[bucket_index(magnitude)];
}

NativeHistogram::Spans NativeHistogram::encode(const std::map<int32_t, uint64_t>& buckets) {
  Spans out;
  int64_t previous_count = 0;
  int32_t next_index = 0;  // the index after the last span's end
  bool first = true;
  for (const auto& [index, count] : buckets) {
    if (first || index != next_index) {
      out.spans.emplace_back(first ? index : index - next_index, 0);
      first = false;
    }
    ++out.spans.back().second;
    next_index = index + 1;
    out.deltas.push_back(static_cast<int64_t>(count) - previous_count);
    previous_count = static_cast<int64_t>(count);
  }
  return out;
}

}  // namespace lueng::output
