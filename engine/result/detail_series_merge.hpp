#pragma once

#include <cstdint>
#include <vector>

#include "engine/result/run_result.hpp"

namespace lueng::result {

// One input's series and where its second 0 falls on the merged test's clock.
struct DetailPart {
  const RunResult* result = nullptr;
  int64_t offset = 0;
};

// The per-endpoint and per-custom-metric series of several instances of one
// test, aligned by second as merge_series() aligns the time series. Per second:
// requests, failures and sample counts summed; a counter's value summed; a
// rate's, a trend's mean and p(95), and an endpoint's avg, p(95) and p(99)
// weighted by their counts (percentiles are then between the inputs' values,
// as in merge_series); max the largest; a gauge's value the largest of the
// inputs'. Endpoints beyond kMaxEndpointSeries count under "(other)"; a custom
// metric an input declares with another type keeps the first input's series.
void merge_detail_series(const std::vector<DetailPart>& parts, RunResult& merged);

}  // namespace lueng::result
