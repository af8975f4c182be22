#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace lueng::output {

// A Prometheus native (sparse exponential) histogram of every sample so far, at
// schema 3: bucket i holds (2^((i-1)/8), 2^(i/8)], so bounds grow by 2^(1/8)
// (about 9%), the resolution k6 asks Prometheus' Go client for (a bucket factor
// of 1.1). Negative samples mirror the positive buckets; values within the zero
// threshold count as zero. Counts are exact per bucket: each sample is placed
// as it arrives, not from lueng's own histogram.
class NativeHistogram {
 public:
  static constexpr int32_t kSchema = 3;
  // The Go client's default zero threshold (2^-128).
  static constexpr double kZeroThreshold = 2.938735877055719e-39;

  void add(double value);

  uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  uint64_t zero_count() const { return zero_count_; }
  const std::map<int32_t, uint64_t>& positive() const { return positive_; }
  const std::map<int32_t, uint64_t>& negative() const { return negative_; }

  // The bucket of a value above the zero threshold (its magnitude's).
  static int32_t bucket_index(double magnitude);

  // Buckets in the wire format: runs of consecutive indices (offset from the
  // end of the previous run, or from 0 for the first, and length), and each
  // count as the difference from the bucket before it.
  struct Spans {
    std::vector<std::pair<int32_t, uint32_t>> spans;
    std::vector<int64_t> deltas;
  };
  static Spans encode(const std::map<int32_t, uint64_t>& buckets);

 private:
  uint64_t count_ = 0;
  double sum_ = 0;
  uint64_t zero_count_ = 0;
  std::map<int32_t, uint64_t> positive_, negative_;
};

}  // namespace lueng::output
