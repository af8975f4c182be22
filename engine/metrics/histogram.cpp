#include "engine/metrics/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace lueng::metrics {

namespace {

// First index of the octave holding index (>= 1): storage grows by whole octaves so
// its size is bounded by the octaves seen and reallocations stay rare.
int64_t octave_start(int64_t index) {
  return ((index - 1) & ~int64_t{Histogram::kSubBuckets - 1}) + 1;
}

// Error-free transformation: a + b == s + err exactly (Knuth's TwoSum).
void two_sum(double a, double b, double& s, double& err) {
  s = a + b;
  const double bb = s - a;
  err = (a - (s - bb)) + (b - bb);
}

}  // namespace

void Histogram::Range::cover(int64_t lo, int64_t hi) {
  lo = octave_start(lo);
  hi = octave_start(hi) + kSubBuckets;  // exclusive
  if (counts.empty()) {
    base = lo;
    counts.assign(static_cast<size_t>(hi - lo), 0);
    return;
  }
  if (lo < base) {
    counts.insert(counts.begin(), static_cast<size_t>(base - lo), 0);
    base = lo;
  }
  if (hi > base + static_cast<int64_t>(counts.size())) {
    counts.resize(static_cast<size_t>(hi - base), 0);
  }
}

void Histogram::Range::add(int64_t index, uint64_t n) {
  if (counts.empty() || index < base || index >= base + static_cast<int64_t>(counts.size())) {
    cover(index, index);
  }
  counts[static_cast<size_t>(index - base)] += n;
}

void Histogram::Range::merge(const Range& other) {
  if (other.counts.empty()) return;
  cover(other.base, other.base + static_cast<int64_t>(other.counts.size()) - 1);
  // Index loop rather than iterators: other may be *this.
  const size_t offset = static_cast<size_t>(other.base - base);
  const size_t n = other.counts.size();
  for (size_t i = 0; i < n; ++i) counts[offset + i] += other.counts[i];
}

uint64_t Histogram::Range::at(int64_t index) const {
  if (index < base || index >= base + static_cast<int64_t>(counts.size())) return 0;
  return counts[static_cast<size_t>(index - base)];
}

bool Histogram::Range::same_counts(const Range& other) const {
  // Storage extents depend on history (merges, growth), so only the counts matter.
  const Range& a = counts.size() >= other.counts.size() ? *this : other;
  const Range& b = &a == this ? other : *this;
  for (size_t i = 0; i < a.counts.size(); ++i) {
    if (a.counts[i] != b.at(a.base + static_cast<int64_t>(i))) return false;
  }
  for (size_t i = 0; i < b.counts.size(); ++i) {
    if (b.counts[i] != a.at(b.base + static_cast<int64_t>(i))) return false;
  }
  return true;
}

// What add() leaves: negative values, NaN and infinities, and a positive value
// whose octave is not stored yet. add_n(value, 1) without its multiplication.
void Histogram::add_rare(double value) {
  if (!std::isfinite(value)) return;
  const int64_t index = bucket_index(value);
  if (index > 0) {
    positive_.add(index, 1);
  } else {
    negative_.add(-index, 1);
  }
  note_extremes(value);
  add_to_sum(value);
}

void Histogram::add_n(double value, uint64_t n) {
  // A NaN or infinity would poison sum/mean forever; there is no useful bucket for it.
  if (n == 0 || !std::isfinite(value)) return;
  const int64_t index = bucket_index(value);
  if (index > 0) {
    positive_.add(index, n);
  } else if (index < 0) {
    negative_.add(-index, n);
  } else {
    zero_ += n;
  }
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  count_ += n;

  // Compensated (Neumaier-style) summation: long soaks add billions of samples, and
  // merged histograms should agree with sequentially built ones to the last bits.
  const double dn = static_cast<double>(n);
  const double product = value * dn;
  const double product_err = std::fma(value, dn, -product);
  double s, err;
  two_sum(sum_, product, s, err);
  sum_ = s;
  sum_error_ += err + product_err;
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0 && other.positive_.counts.empty() && other.negative_.counts.empty() &&
      other.zero_ == 0) {
    return;
  }
  positive_.merge(other.positive_);
  negative_.merge(other.negative_);
  zero_ += other.zero_;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else if (other.count_ != 0) {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  const double other_error = other.sum_error_;  // read before writing: other may be *this
  double s, err;
  two_sum(sum_, other.sum_, s, err);
  sum_ = s;
  sum_error_ += err + other_error;
}

void Histogram::clear() {
  *this = Histogram{};
}

double Histogram::min() const {
  return count_ == 0 ? 0 : min_;
}
double Histogram::max() const {
  return count_ == 0 ? 0 : max_;
}
double Histogram::mean() const {
  return count_ == 0 ? 0 : sum() / static_cast<double>(count_);
}

int64_t Histogram::bucket_index(double value) {
  if (std::isnan(value) || value == 0) return 0;
  return value > 0 ? positive_index(value) : -positive_index(-value);
}

double Histogram::bucket_value(int64_t index) {
  if (index == 0) return 0;
  const bool negative = index < 0;
  // Clamping first also keeps -INT64_MIN (from a corrupt file) from overflowing.
  index = std::clamp<int64_t>(index, -kMaxIndex, kMaxIndex);
  if (negative) index = -index;
  const int64_t k = index - 1;
  const int exponent = static_cast<int>(k >> kSubBucketBits) + kMinExponent;
  const double sub = static_cast<double>(k & (kSubBuckets - 1));
  const double v = std::ldexp(1.0 + (sub + 0.5) / kSubBuckets, exponent);
  return negative ? -v : v;
}

uint64_t Histogram::count_at_index(int64_t index) const {
  if (index > 0) return positive_.at(index);
  if (index < 0) return negative_.at(-index);
  return zero_;
}

double Histogram::value_at_rank(uint64_t rank) const {
  // The extreme ranks are known exactly; this makes p(0), p(100) and any
  // single-sample histogram exact.
  if (rank == 0) return min_;
  if (rank + 1 >= count_) return max_;
  const auto estimate = [&](int64_t index) { return std::clamp(bucket_value(index), min_, max_); };
  uint64_t seen = 0;
  for (size_t i = negative_.counts.size(); i-- > 0;) {
    seen += negative_.counts[i];
    if (rank < seen) return estimate(-(negative_.base + static_cast<int64_t>(i)));
  }
  seen += zero_;
  if (rank < seen) return estimate(0);
  for (size_t i = 0; i < positive_.counts.size(); ++i) {
    seen += positive_.counts[i];
    if (rank < seen) return estimate(positive_.base + static_cast<int64_t>(i));
  }
  // Only reachable when set_exact claimed more samples than the buckets hold.
  return max_;
}

double Histogram::percentile(double p) const {
  if (count_ == 0) return 0;
  if (!(p > 0)) p = 0;  // also maps NaN to the minimum
  if (p > 100) p = 100;
  const double rank = p / 100 * static_cast<double>(count_ - 1);
  const double lower_rank = std::floor(rank);
  const double frac = rank - lower_rank;
  const auto lower = static_cast<uint64_t>(lower_rank);
  const double lower_value = value_at_rank(lower);
  if (frac == 0 || lower + 1 >= count_) return lower_value;
  const double upper_value = value_at_rank(lower + 1);
  return lower_value + (upper_value - lower_value) * frac;
}

void Histogram::for_each_bucket(
    const std::function<void(int64_t index, uint64_t count)>& visit) const {
  for (size_t i = negative_.counts.size(); i-- > 0;) {
    if (negative_.counts[i] != 0) {
      visit(-(negative_.base + static_cast<int64_t>(i)), negative_.counts[i]);
    }
  }
  if (zero_ != 0) visit(0, zero_);
  for (size_t i = 0; i < positive_.counts.size(); ++i) {
    if (positive_.counts[i] != 0)
      visit(positive_.base + static_cast<int64_t>(i), positive_.counts[i]);
  }
}

void Histogram::add_bucket(int64_t index, uint64_t count) {
  if (count == 0) return;
  // Clamped so a corrupt file cannot make the dense storage explode.
  index = std::clamp<int64_t>(index, -kMaxIndex, kMaxIndex);
  if (index > 0) {
    positive_.add(index, count);
  } else if (index < 0) {
    negative_.add(-index, count);
  } else {
    zero_ += count;
  }
  count_ += count;  // keeps the histogram consistent even if set_exact never comes
}

void Histogram::set_exact(uint64_t count, double sum, double min, double max) {
  count_ = count;
  sum_ = sum;
  sum_error_ = 0;
  min_ = min;
  max_ = max;
}

bool Histogram::operator==(const Histogram& other) const {
  if (count_ != other.count_ || zero_ != other.zero_ || min() != other.min() ||
      max() != other.max()) {
    return false;
  }
  if (!positive_.same_counts(other.positive_) || !negative_.same_counts(other.negative_)) {
    return false;
  }
  // Sums are compensated, yet a different addition order (merging vs. adding one by
  // one) can still differ in the last bits; that must not make equal data unequal.
  const double a = sum(), b = other.sum();
  if (a == b) return true;
  const double magnitude = std::max(std::abs(min_), std::abs(max_));
  const double tolerance =
      1e-12 * (std::abs(a) + std::abs(b)) + 1e-14 * static_cast<double>(count_) * magnitude;
  return std::abs(a - b) <= tolerance;
}

}  // namespace lueng::metrics
