#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace lueng::metrics {

// A mergeable log-linear histogram (HDR style) of doubles.
//
// Each power of two is split into kSubBuckets linear buckets, so any recorded
// value is known to within 1/(2*kSubBuckets) of itself (< 1% relative error).
// Memory grows only with the range of octaves seen, never with the sample count;
// count, sum, min and max are exact. Negative values and zero are supported.
class Histogram {
 public:
  static constexpr int kSubBucketBits = 6;
  static constexpr int kSubBuckets = 1 << kSubBucketBits;

  // Inline for the common cases (0, and a positive value in a bucket already
  // stored): every trend sample passes here, ten per request. The rest (negative
  // values, NaN and infinities, a new octave) goes to add_rare().
  void add(double value) {
    if (value == 0) {
      ++zero_;  // the sum stays exact without it
      note_extremes(value);
      return;
    }
    if (value > 0 && value <= std::numeric_limits<double>::max()) {
      const int64_t index = positive_index(value);
      const int64_t offset = index - positive_.base;
      if (offset >= 0 && offset < static_cast<int64_t>(positive_.counts.size())) {
        ++positive_.counts[static_cast<size_t>(offset)];
        note_extremes(value);
        add_to_sum(value);
        return;
      }
    }
    add_rare(value);
  }
  void add_n(double value, uint64_t n);
  void merge(const Histogram& other);
  void clear();

  uint64_t count() const { return count_; }
  double sum() const { return sum_ + sum_error_; }
  double min() const;   // 0 when empty
  double max() const;   // 0 when empty
  double mean() const;  // 0 when empty

  // k6's percentile: linear interpolation between the closest ranks of the sorted
  // samples, p in [0, 100]; each rank's value is its bucket's midpoint clamped to
  // [min, max]. 0 when empty.
  double percentile(double p) const;

  // Bucket index of a value: sign-aware, monotonic in the value. Serialized in
  // result files, so the encoding is stable: index 0 is the value 0, positive
  // values have index > 0, negative values the mirrored negative index.
  static int64_t bucket_index(double value);
  // The representative (midpoint) value of a bucket index.
  static double bucket_value(int64_t index);

  // Visits non-empty buckets in increasing value order.
  void for_each_bucket(const std::function<void(int64_t index, uint64_t count)>& visit) const;
  // Rebuilds from serialized parts (buckets must be added before set_exact).
  void add_bucket(int64_t index, uint64_t count);
  void set_exact(uint64_t count, double sum, double min, double max);

  // Sums compare within rounding: merging adds in a different order than recording
  // the union one by one. Everything else compares exactly.
  bool operator==(const Histogram& other) const;

 private:
  // Dense counts over the indices [base_, base_ + counts.size()) of one sign.
  struct Range {
    int64_t base = 0;
    std::vector<uint64_t> counts;
    void add(int64_t index, uint64_t n);
    void merge(const Range& other);
    void cover(int64_t lo, int64_t hi);  // grows to hold [lo, hi], by whole octaves
    uint64_t at(int64_t index) const;    // 0 outside the stored extent
    bool same_counts(const Range& other) const;
  };
  Range positive_, negative_;  // negative_ is indexed by -index
  uint64_t zero_ = 0;
  uint64_t count_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
  double sum_error_ = 0;  // compensation term of sum_ (Neumaier summation)

  // Index encoding (stable: result files store it). For a positive finite
  // v = 1.f * 2^e, index = ((e - kMinExponent) << kSubBucketBits | top
  // kSubBucketBits bits of f) + 1: the IEEE-754 bit pattern shifted right and
  // rebased, so it is monotonic for free. The +1 keeps index 0 for the value zero.
  // Values below 2^kMinExponent (~2.3e-10) share the first bucket and values from
  // 2^(kMinExponent + kOctaves) (~7.9e28) on share the last: that bounds the dense
  // storage of one sign to kMaxIndex counters whatever is recorded, while leaving
  // ns..hours and bytes untouched.
  static constexpr int kMinExponent = -32;
  static constexpr int kOctaves = 128;
  static constexpr int64_t kMaxIndex = int64_t{kOctaves} * kSubBuckets;
  static int64_t positive_index(double v) {
    constexpr int kMantissaBits = 52, kExponentBias = 1023;
    const auto raw =
        static_cast<int64_t>(std::bit_cast<uint64_t>(v) >> (kMantissaBits - kSubBucketBits));
    const int64_t index = raw - (int64_t{kExponentBias + kMinExponent} << kSubBucketBits) + 1;
    return std::clamp<int64_t>(index, 1, kMaxIndex);
  }
  void note_extremes(double value) {
    if (count_ == 0) {
      min_ = max_ = value;
    } else {
      min_ = std::min(min_, value);
      max_ = std::max(max_, value);
    }
    ++count_;
  }
  // Neumaier summation with Knuth's TwoSum: sum_ + value == s + err exactly.
  void add_to_sum(double value) {
    const double s = sum_ + value;
    const double bb = s - sum_;
    sum_error_ += (sum_ - (s - bb)) + (value - bb);
    sum_ = s;
  }
  void add_rare(double value);
  uint64_t count_at_index(int64_t index) const;
  double value_at_rank(uint64_t rank) const;  // rank in [0, count_)
};

}  // namespace lueng::metrics
