#include "engine/metrics/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using lueng::metrics::Histogram;

namespace {

// Midpoints are within half a sub-bucket of any value in the bucket.
constexpr double kMaxRelativeError = 1.0 / (2 * Histogram::kSubBuckets);

// k6's percentile over the raw samples: linear interpolation between closest ranks.
struct Exact {
  double value, lower, upper, frac;
};
Exact exact_percentile(const std::vector<double>& sorted, double p) {
  const double rank = p / 100 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = rank - std::floor(rank);
  const double value = sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
  return {value, sorted[lo], sorted[hi], frac};
}

std::vector<double> many_percentiles() {
  std::vector<double> ps = {0, 0.001, 0.1, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100};
  for (double p = 0; p <= 100; p += 0.37) ps.push_back(p);
  return ps;
}

struct Worst {
  double relative = 0;  // over percentiles whose neighbouring ranks share a sign
  double p = -1, got = 0, want = 0;
  bool within_bound = true;  // the sign-agnostic interpolation bound held everywhere
  double bound_p = -1;
};

Histogram build(const std::vector<double>& samples) {
  Histogram h;
  for (double v : samples) h.add(v);
  return h;
}

// Each interpolated rank is off by at most kMaxRelativeError of its own magnitude,
// so the interpolation is off by at most that much of the weighted magnitudes. That
// bound also holds across zero, where a relative error says nothing.
Worst compare_percentiles(const Histogram& h, std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  Worst worst;
  for (double p : many_percentiles()) {
    const Exact want = exact_percentile(samples, p);
    const double got = h.percentile(p);
    const double error = std::abs(got - want.value);
    const double weighted =
        (1 - want.frac) * std::abs(want.lower) + want.frac * std::abs(want.upper);
    if (error > kMaxRelativeError * weighted * (1 + 1e-9)) {
      worst.within_bound = false;
      worst.bound_p = p;
    }
    const bool same_sign =
        (want.lower >= 0 && want.upper >= 0) || (want.lower <= 0 && want.upper <= 0);
    if (same_sign) {
      const double relative = want.value == 0 ? (got == 0 ? 0 : 1) : error / std::abs(want.value);
      if (relative > worst.relative || worst.p < 0)
        worst = {relative, p, got, want.value, worst.within_bound, worst.bound_p};
    }
  }
  return worst;
}

void require_accurate(const std::vector<double>& samples) {
  const Histogram h = build(samples);
  const Worst worst = compare_percentiles(h, samples);
  CAPTURE(worst.p, worst.got, worst.want, worst.relative, worst.bound_p);
  REQUIRE(worst.within_bound);
  REQUIRE(worst.relative <= 0.01);
  const auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
  REQUIRE(h.percentile(0) == *lo);
  REQUIRE(h.percentile(100) == *hi);
}

std::vector<double> uniform(std::mt19937_64& rng, size_t n, double lo, double hi) {
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<double> v(n);
  for (double& x : v) x = dist(rng);
  return v;
}

std::vector<double> log_uniform(std::mt19937_64& rng, size_t n, double lo, double hi) {
  std::uniform_real_distribution<double> dist(std::log(lo), std::log(hi));
  std::vector<double> v(n);
  for (double& x : v) x = std::exp(dist(rng));
  return v;
}

std::vector<std::pair<int64_t, uint64_t>> buckets_of(const Histogram& h) {
  std::vector<std::pair<int64_t, uint64_t>> out;
  h.for_each_bucket([&](int64_t index, uint64_t count) { out.emplace_back(index, count); });
  return out;
}

}  // namespace

TEST_CASE("histogram: bucket index encoding is stable and monotonic", "[histogram]") {
  // Result files store these indices: changing them breaks old files.
  CHECK(Histogram::bucket_index(0.0) == 0);
  CHECK(Histogram::bucket_index(-0.0) == 0);
  CHECK(Histogram::bucket_index(1.0) == (32 << 6) + 1);
  CHECK(Histogram::bucket_index(1.5) == (32 << 6) + 1 + 32);
  CHECK(Histogram::bucket_index(2.0) == (33 << 6) + 1);
  CHECK(Histogram::bucket_index(std::ldexp(1.0, -32)) == 1);
  CHECK(Histogram::bucket_index(-1.0) == -((32 << 6) + 1));
  CHECK(Histogram::bucket_value((32 << 6) + 1) == 1.0 + 0.5 / 64);
  CHECK(Histogram::bucket_value(-((32 << 6) + 1)) == -(1.0 + 0.5 / 64));
  CHECK(Histogram::bucket_value(0) == 0);

  // Out-of-range magnitudes land in the end buckets instead of growing storage.
  CHECK(Histogram::bucket_index(1e-300) == 1);
  CHECK(Histogram::bucket_index(std::numeric_limits<double>::denorm_min()) == 1);
  CHECK(Histogram::bucket_index(1e300) == 128 * 64);
  CHECK(Histogram::bucket_index(-1e300) == -128 * 64);
  CHECK(Histogram::bucket_index(std::numeric_limits<double>::max()) == 128 * 64);

  // A power of two opens a new bucket.
  for (int e = -31; e < 96; ++e) {
    const double p2 = std::ldexp(1.0, e);
    CHECK(Histogram::bucket_index(p2) == Histogram::bucket_index(std::nextafter(p2, 0.0)) + 1);
  }

  int64_t previous = Histogram::bucket_index(-1e40);
  double worst = 0;
  for (double v = -1e28; v < 1e28;) {
    const int64_t index = Histogram::bucket_index(v);
    REQUIRE(index >= previous);
    previous = index;
    const double estimate = Histogram::bucket_value(index);
    if (v != 0) worst = std::max(worst, std::abs(estimate - v) / std::abs(v));
    REQUIRE(Histogram::bucket_index(estimate) == index);
    if (std::abs(v) < 1e-9) {
      v = v < 0 ? 0.0 : 1e-9;
    } else {
      v = v < 0 ? v / 1.0037 : v * 1.0037;
    }
  }
  CHECK(worst <= kMaxRelativeError);
  CHECK(worst > kMaxRelativeError * 0.9);  // the sweep really hit bucket edges
}

TEST_CASE("histogram: empty and single-sample histograms", "[histogram]") {
  Histogram h;
  CHECK(h.count() == 0);
  CHECK(h.sum() == 0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  CHECK(h.mean() == 0);
  CHECK(h.percentile(50) == 0);
  CHECK(buckets_of(h).empty());

  for (double v : {123.456, -0.001, 0.0, 1e-9, 3.6e6, 1e300, -1e-300}) {
    CAPTURE(v);
    Histogram one;
    one.add(v);
    CHECK(one.count() == 1);
    CHECK(one.sum() == v);
    CHECK(one.min() == v);
    CHECK(one.max() == v);
    CHECK(one.mean() == v);
    for (double p : many_percentiles()) REQUIRE(one.percentile(p) == v);
  }
}

TEST_CASE("histogram: NaN and infinities are ignored", "[histogram]") {
  Histogram h;
  h.add(std::numeric_limits<double>::quiet_NaN());
  h.add(std::numeric_limits<double>::infinity());
  h.add_n(-std::numeric_limits<double>::infinity(), 5);
  h.add_n(7, 0);
  CHECK(h == Histogram{});
  h.add(2);
  h.add(std::numeric_limits<double>::infinity());
  CHECK(h.count() == 1);
  CHECK(h.sum() == 2);
  CHECK(h.max() == 2);
}

TEST_CASE("histogram: exact count, sum, min, max and mean", "[histogram]") {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int> dist(-100000, 100000);
  Histogram h;
  double sum = 0;
  std::vector<double> samples;
  for (int i = 0; i < 50000; ++i) {
    // Multiples of 1/8 keep every partial sum representable, so the sum is exact.
    const double v = dist(rng) / 8.0;
    samples.push_back(v);
    sum += v;
    h.add(v);
  }
  h.add_n(2.5, 1000);
  sum += 2500;
  samples.push_back(2.5);
  CHECK(h.count() == 51000);
  CHECK(h.sum() == sum);
  CHECK(h.min() == *std::min_element(samples.begin(), samples.end()));
  CHECK(h.max() == *std::max_element(samples.begin(), samples.end()));
  CHECK(h.mean() == sum / 51000);

  SECTION("a sum that plain summation would get wrong") {
    Histogram big;
    big.add(1e16);
    for (int i = 0; i < 1000; ++i) big.add(1.0);  // each one alone rounds away
    big.add(-1e16);
    CHECK(big.sum() == 1000);
    CHECK(big.count() == 1002);
  }

  SECTION("clear") {
    h.clear();
    CHECK(h == Histogram{});
    CHECK(h.percentile(99) == 0);
    h.add(-3);
    CHECK(h.min() == -3);
    CHECK(h.max() == -3);
  }
}

TEST_CASE("histogram: add(v) is add_n(v, 1), zeros included", "[histogram]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dist(-5000, 5000);
  Histogram one, n;
  for (int i = 0; i < 20000; ++i) {
    // A third of the samples are 0 (or -0), as the connect timings of reused connections.
    double v = i % 3 == 0 ? (i % 2 ? 0.0 : -0.0) : dist(rng) * (i % 7 == 0 ? 1e-9 : 1);
    one.add(v);
    n.add_n(v, 1);
    REQUIRE(one.sum() == n.sum());  // bit for bit, not within rounding
  }
  CHECK(one == n);
  CHECK(one.count() == 20000);
  CHECK(one.min() == n.min());
  CHECK(one.max() == n.max());
  CHECK(one.percentile(50) == n.percentile(50));

  Histogram zeros;
  zeros.add(0);
  zeros.add(0);
  CHECK(zeros.count() == 2);
  CHECK(zeros.sum() == 0);
  CHECK(zeros.max() == 0);
  CHECK(zeros.percentile(99) == 0);
}

TEST_CASE("histogram: percentiles match k6 interpolation within 1%", "[histogram]") {
  std::mt19937_64 rng(42);

  SECTION("uniform") {
    require_accurate(uniform(rng, 100000, 0, 1000));
  }

  SECTION("log-uniform latencies from 1 us to 1 h, in ms") {
    require_accurate(log_uniform(rng, 100000, 1e-3, 3.6e6));
  }

  SECTION("exponential latencies") {
    std::exponential_distribution<double> dist(1.0 / 80);
    std::vector<double> v(100000);
    for (double& x : v) x = std::clamp(dist(rng), 1e-3, 3.6e6);
    require_accurate(v);
  }

  SECTION("log-normal latencies") {
    std::lognormal_distribution<double> dist(std::log(120), 1.5);
    std::vector<double> v(100000);
    for (double& x : v) x = std::clamp(dist(rng), 1e-3, 3.6e6);
    require_accurate(v);
  }

  SECTION("constant values are exact") {
    for (double c : {42.0, 1.0, 0.3, -7.25}) {
      std::vector<double> v(1000, c);
      const Histogram h = build(v);
      for (double p : many_percentiles()) REQUIRE(h.percentile(p) == c);
      REQUIRE(h.mean() == c);
    }
  }

  SECTION("two-point adversarial data") {
    for (auto [many, few] : {std::pair{1.0, 1e6}, std::pair{1e6, 1.0}, std::pair{0.001, 3.6e6}}) {
      for (size_t n_few : {1, 10, 100, 5000}) {
        CAPTURE(many, few, n_few);
        std::vector<double> v(10000 - n_few, many);
        v.insert(v.end(), n_few, few);
        require_accurate(v);
      }
    }
  }

  SECTION("values exactly on bucket boundaries") {
    std::vector<double> v;
    std::uniform_int_distribution<int> exponent(-20, 40);
    std::uniform_int_distribution<int> sub(0, Histogram::kSubBuckets - 1);
    for (int i = 0; i < 50000; ++i) {
      // Lower edges are where a midpoint is farthest (relatively) from the value.
      const double edge = std::ldexp(1.0 + sub(rng) / 64.0, exponent(rng));
      v.push_back(i % 3 == 0 ? std::ldexp(1.0, exponent(rng)) : edge);
    }
    require_accurate(v);
  }

  SECTION("tiny and huge values") {
    require_accurate(log_uniform(rng, 50000, 1e-9, 1e15));
    require_accurate(log_uniform(rng, 20000, 1e-9, 1e-6));
    require_accurate(log_uniform(rng, 20000, 1e20, 1e28));
  }

  SECTION("negative values") {
    std::vector<double> v = log_uniform(rng, 50000, 1e-3, 3.6e6);
    for (double& x : v) x = -x;
    require_accurate(v);
  }

  SECTION("negatives and zero mixed") {
    std::vector<double> v = uniform(rng, 60000, -1000, 1000);
    for (size_t i = 0; i < v.size(); i += 7) v[i] = 0;
    const std::vector<double> wide = log_uniform(rng, 20000, 1e-6, 1e9);
    for (size_t i = 0; i < wide.size(); ++i) v.push_back(i % 2 ? wide[i] : -wide[i]);
    require_accurate(v);
  }

  SECTION("small sample counts") {
    for (size_t n = 2; n < 40; ++n) {
      CAPTURE(n);
      require_accurate(log_uniform(rng, n, 0.5, 5000));
    }
  }

  SECTION("out-of-range magnitudes keep exact extremes") {
    std::vector<double> v = {1e-300, 1e300, 5, 5, 5, -1e300, 0};
    const Histogram h = build(v);
    CHECK(h.percentile(0) == -1e300);
    CHECK(h.percentile(100) == 1e300);
    CHECK(h.min() == -1e300);
    CHECK(h.max() == 1e300);
    CHECK(h.percentile(50) == Histogram::bucket_value(Histogram::bucket_index(5)));
    CHECK(buckets_of(h).size() == 5);
  }
}

TEST_CASE("histogram: merge equals the histogram of the union", "[histogram]") {
  std::mt19937_64 rng(7);
  std::vector<double> samples = log_uniform(rng, 40000, 1e-3, 3.6e6);
  const std::vector<double> extra = uniform(rng, 20000, -500, 500);
  samples.insert(samples.end(), extra.begin(), extra.end());
  samples.insert(samples.end(), 300, 0.0);
  std::shuffle(samples.begin(), samples.end(), rng);

  std::bernoulli_distribution coin(0.3);
  Histogram a, b, all;
  for (double v : samples) {
    (coin(rng) ? a : b).add(v);
    all.add(v);
  }
  REQUIRE_FALSE(a == all);
  REQUIRE_FALSE(b == all);

  Histogram merged = a;
  merged.merge(b);
  REQUIRE(merged == all);
  CHECK(merged.count() == all.count());
  CHECK(merged.min() == all.min());
  CHECK(merged.max() == all.max());
  CHECK(merged.sum() == Approx(all.sum()).epsilon(1e-12));
  for (double p : many_percentiles()) REQUIRE(merged.percentile(p) == all.percentile(p));

  Histogram other_order = b;
  other_order.merge(a);
  REQUIRE(other_order == all);

  SECTION("with empty histograms") {
    Histogram empty;
    Histogram into_empty;
    into_empty.merge(all);
    CHECK(into_empty == all);
    Histogram copy = all;
    copy.merge(empty);
    CHECK(copy == all);
    empty.merge(Histogram{});
    CHECK(empty == Histogram{});
    CHECK(empty.min() == 0);
  }

  SECTION("disjoint ranges far apart") {
    Histogram low, high, both;
    for (double v : log_uniform(rng, 1000, 1e-6, 1e-3)) {
      low.add(v);
      both.add(v);
    }
    for (double v : log_uniform(rng, 1000, 1e6, 1e9)) {
      high.add(-v);
      both.add(-v);
    }
    high.merge(low);
    CHECK(high == both);
    CHECK(buckets_of(high) == buckets_of(both));
  }

  SECTION("with itself") {
    Histogram twice;
    for (double v : samples) twice.add_n(v, 2);
    Histogram self = all;
    self.merge(self);
    CHECK(self == twice);
  }
}

TEST_CASE("histogram: equality sees every difference", "[histogram]") {
  Histogram a;
  a.add(1.0);
  a.add(10.0);
  Histogram b = a;
  REQUIRE(a == b);

  Histogram one_more = a;
  one_more.add(10.0);
  CHECK_FALSE(a == one_more);

  Histogram other_bucket;
  other_bucket.add(1.0);
  other_bucket.add(20.0);
  other_bucket.set_exact(2, 11.0, 1.0, 10.0);  // same totals, different bucket
  CHECK_FALSE(a == other_bucket);

  Histogram other_min;
  other_min.add(1.001);  // same bucket as 1.0
  other_min.add(9.999);
  other_min.set_exact(2, 11.0, 1.001, 10.0);
  CHECK_FALSE(a == other_min);

  Histogram other_sum = a;
  other_sum.set_exact(2, 11.5, 1.0, 10.0);
  CHECK_FALSE(a == other_sum);

  Histogram zero_vs_negative;
  zero_vs_negative.add(0.0);
  Histogram negative;
  negative.add(-1e-300);
  negative.set_exact(1, 0.0, 0.0, 0.0);
  CHECK_FALSE(zero_vs_negative == negative);
}

TEST_CASE("histogram: serialization round trip through buckets", "[histogram]") {
  std::mt19937_64 rng(3);
  std::vector<double> samples = log_uniform(rng, 30000, 1e-3, 3.6e6);
  for (double v : uniform(rng, 10000, -1e4, 1e4)) samples.push_back(v);
  samples.insert(samples.end(), 17, 0.0);
  const Histogram h = build(samples);

  const auto buckets = buckets_of(h);
  REQUIRE(!buckets.empty());
  uint64_t total = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    REQUIRE(buckets[i].second > 0);
    total += buckets[i].second;
    if (i > 0) {
      REQUIRE(buckets[i - 1].first < buckets[i].first);
      REQUIRE(Histogram::bucket_value(buckets[i - 1].first) <
              Histogram::bucket_value(buckets[i].first));
    }
  }
  REQUIRE(total == h.count());
  REQUIRE(buckets.front().first < 0);
  REQUIRE(std::find_if(buckets.begin(), buckets.end(), [](auto& b) {
            return b.first == 0;
          })->second == 17);

  // Rebuild in a scrambled order: a loader need not keep the order.
  auto shuffled = buckets;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  Histogram loaded;
  for (auto [index, count] : shuffled) loaded.add_bucket(index, count);
  loaded.set_exact(h.count(), h.sum(), h.min(), h.max());
  REQUIRE(loaded == h);
  CHECK(loaded.sum() == h.sum());
  CHECK(buckets_of(loaded) == buckets);
  for (double p : many_percentiles()) REQUIRE(loaded.percentile(p) == h.percentile(p));

  SECTION("a corrupt index cannot blow up the storage") {
    Histogram corrupt;
    corrupt.add_bucket(std::numeric_limits<int64_t>::max(), 1);
    corrupt.add_bucket(std::numeric_limits<int64_t>::min(), 1);
    corrupt.set_exact(2, 0, -1, 1);
    CHECK(buckets_of(corrupt).size() == 2);
    CHECK(corrupt.percentile(50) == 0);
  }

  SECTION("more samples claimed than buckets hold") {
    Histogram partial;
    partial.add_bucket(Histogram::bucket_index(5.0), 2);
    partial.set_exact(10, 50, 5, 5);
    CHECK(partial.percentile(90) == 5);
  }
}

TEST_CASE("histogram: memory is bounded by octaves, not samples", "[histogram]") {
  std::mt19937_64 rng(11);
  Histogram h;
  constexpr uint64_t kSamples = 10'000'000;
  for (uint64_t i = 0; i < kSamples; ++i) {
    const double unit = static_cast<double>(rng() >> 11) * 0x1p-53;
    h.add(1 + unit * 999);
  }
  REQUIRE(h.count() == kSamples);
  // [1, 1000] spans the octaves 2^0 .. 2^9.
  const auto buckets = buckets_of(h);
  CHECK(buckets.size() <= 10 * Histogram::kSubBuckets);
  CHECK(buckets.size() > 9 * Histogram::kSubBuckets);
  CHECK(h.percentile(50) == Approx(500.5).epsilon(0.01));
  CHECK(h.mean() == Approx(500.5).epsilon(0.001));
}
