#include <cstring>
#include <new>

#include <catch2/catch.hpp>

#include "engine/metrics/metric.hpp"

using lueng::metrics::MetricDef;
using lueng::metrics::MetricType;

TEST_CASE("a default MetricDef is a plain counter whatever the memory held before") {
  // SLO results and merged series copy default-made definitions; reading an
  // indeterminate bool there is undefined behaviour (UBSan: "not a valid value
  // for type 'bool'"). Construct over garbage so a missing initializer shows.
  alignas(MetricDef) unsigned char storage[sizeof(MetricDef)];
  std::memset(storage, 0xA5, sizeof storage);
  auto* def = new (storage) MetricDef;
  CHECK(def->name.empty());
  CHECK(def->type == MetricType::kCounter);
  CHECK(def->is_time == false);
  def->~MetricDef();
}
