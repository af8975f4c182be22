#include "engine/output/prometheus_rw_output.hpp"

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "engine/metrics/tags.hpp"

using lueng::metrics::MetricDef;
using lueng::metrics::MetricType;
using lueng::output::CachedTags;
using lueng::output::open_prometheus_rw_output;
using lueng::output::Sample;

// The push thread, its HTTP client on a private loop and the last push's
// retries, against a port nothing listens on (the sanitizer builds run this).
TEST_CASE("prometheus-rw output: a dead endpoint costs bounded time and fails nothing") {
  std::string error;
  auto output =
      open_prometheus_rw_output("http://127.0.0.1:1/api/v1/write,pushInterval=100ms", &error);
  REQUIRE(output);
  CHECK(error.empty());
  CHECK(output->streams_samples());
  const MetricDef reqs{"http_reqs", MetricType::kCounter, false};
  const MetricDef duration{"http_req_duration", MetricType::kTrend, true};
  std::string tags = lueng::metrics::encode_tags({{"name", "home"}, {"status", "200"}});
  CachedTags::Rendered rendered;
  for (int i = 0; i < 1000; ++i) {
    output->add_sample(Sample{0, reqs, i, 1, tags, rendered});
    output->add_sample(Sample{1, duration, i, static_cast<double>(i % 50), tags, rendered});
  }
  auto started = std::chrono::steady_clock::now();
  CHECK(output->finish({}) == "");  // undelivered samples are said on stderr, not an error
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("prometheus-rw output: a wrong option or certificate fails the open") {
  std::string error;
  CHECK_FALSE(open_prometheus_rw_output("pushInterval=never", &error));
  CHECK(error.find("pushInterval") != std::string::npos);
  CHECK_FALSE(open_prometheus_rw_output(
      "clientCertificate=/nonexistent/c.pem,clientCertificateKey=/nonexistent/k.pem", &error));
  CHECK(error.find("clientCertificate") != std::string::npos);
}
