// k6's TestMetricNames and TestRegistryNewMetric (grafana/k6 metrics/registry_test.go),
// case by case: the name rule ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$ (2 to 129 characters)
// and registering a name twice. Counted in docs/from-k6.md ("Test tables ported
// from k6").
#include <catch2/catch.hpp>

#include <string>

#include "engine/metrics/metric.hpp"

using lueng::metrics::is_valid_metric_name;
using lueng::metrics::MetricType;

TEST_CASE("k6 TestMetricNames: 8 cases as in k6") {
  struct Case {
    std::string name;
    bool valid;
  };
  const Case cases[] = {
      {"simple", true},
      {"still_simple", true},
      {"", false},
      {"@", false},
      {"a", false},  // too short
      {"special\n\t", false},
      {"hello.World_in_한글一안녕一세상", false},  // hangul and japanese numerals
      {"t" + std::string(149, 'o') + "g", false},  // too long: k6's 151 characters
  };
  CHECK(std::size(cases) == 8);
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(is_valid_metric_name(c.name) == c.valid);
  }
}

TEST_CASE("metric names run from 2 to 129 characters, as k6's pattern allows") {
  CHECK(is_valid_metric_name("ab"));
  CHECK(is_valid_metric_name("_1"));
  CHECK(is_valid_metric_name(std::string(128, 'a')));
  CHECK(is_valid_metric_name(std::string(129, 'a')));
  CHECK_FALSE(is_valid_metric_name(std::string(130, 'a')));
  CHECK_FALSE(is_valid_metric_name("1a"));
}

// k6's TestRegistryNewMetric (metrics/registry_test.go): the same name and type
// gives the same metric; another type, or the same type with another "contains"
// (k6's Time, lueng's is_time), is an error.
TEST_CASE("k6 TestRegistryNewMetric: 4 cases as in k6") {
  lueng::metrics::MetricCatalog catalog;
  std::string error;
  auto first = catalog.add("something", MetricType::kCounter, false, &error);
  REQUIRE(first);
  CHECK(catalog.def(*first).name == "something");
  auto again = catalog.add("something", MetricType::kCounter, false, &error);
  REQUIRE(again);
  CHECK(*again == *first);
  CHECK_FALSE(catalog.add("something", MetricType::kGauge, false, &error));
  CHECK_FALSE(catalog.add("something", MetricType::kCounter, true, &error));
}
