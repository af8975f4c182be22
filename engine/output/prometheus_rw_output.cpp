// --out prometheus-rw: the push thread and its schedule, retries and counts.

#include "engine/output/prometheus_rw_output.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "engine/http/tls_material.hpp"
#include "engine/http/url.hpp"
#include "engine/output/remote_write_client.hpp"
#include "engine/output/remote_write_request.hpp"
#include "engine/output/remote_write_series.hpp"

namespace lueng::output {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Retries of one push start this far apart and double, up to kMaxBackoff.
constexpr milliseconds kFirstBackoff{250};
constexpr milliseconds kMaxBackoff{5000};
// The last push, after the run, tries at most this often and this long.
constexpr int kFinalAttempts = 3;
constexpr double kFinalBudgetSeconds = 10;

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

class PrometheusRwOutput final : public Output {
 public:
  PrometheusRwOutput(RemoteWriteConfig config, std::unique_ptr<RemoteWriteClient> client)
      : config_(std::move(config)),
        client_(std::move(client)),
        series_(config_.labels, config_.trend_stats, 20000, config_.trend_as_native_histogram),
        shown_url_(http::redacted_url(config_.url)) {
    thread_ = std::thread([this] { run(); });
  }

  ~PrometheusRwOutput() override { stop(); }

  bool streams_samples() const override { return true; }
  void add_sample(const Sample& sample) override { series_.add(sample); }

  std::string finish(const result::RunResult&) override {
    stop();
    if (undelivered_ > 0)
      fprintf(stderr,
              "lueng run: --out prometheus-rw: %llu of %llu samples were not delivered to %s "
              "(last problem: %s)\n",
              static_cast<unsigned long long>(undelivered_),
              static_cast<unsigned long long>(undelivered_ + delivered_), shown_url_.c_str(),
              last_problem_.c_str());
    if (uint64_t folded = series_.folded_tag_sets(); folded > 0)
      fprintf(stderr,
              "lueng run: --out prometheus-rw: %llu tag sets beyond the cardinality bound were "
              "sent as name=\"(other)\"\n",
              static_cast<unsigned long long>(folded));
    return "";
  }

 private:
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Waits until `until` or stop(); true when stopped.
  bool wait_until(Clock::time_point until) {
    std::unique_lock lock(mutex_);
    return wake_.wait_until(lock, until, [this] { return stopping_; });
  }

  void run() {
    auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(config_.push_interval_seconds));
    Clock::time_point next = Clock::now() + interval;
    while (!wait_until(next)) {
      next += interval;
      push_during_run(next);
      if (next < Clock::now()) next = Clock::now() + interval;  // a push outlasted its turn
    }
    push_final();
  }

  // Every value as it is now, or 0 points when nothing was recorded yet.
  size_t take_snapshot() {
    size_t count = series_.snapshot(points_, histograms_);
    // Each push needs a later timestamp than the last: Prometheus refuses a sample
    // at or before the series' latest one.
    timestamp_ms_ = std::max(wall_clock_ms(), timestamp_ms_ + 1);
    return count;
  }

  // Tries until delivered, refused for good, `deadline` (the next push, whose
  // fresher values replace these) or stop(). Each attempt has the whole request
  // timeout, even past the deadline: cutting it shorter could leave a slow
  // connection (a TLS handshake) never established. The next push then waits.
  void push_during_run(Clock::time_point deadline) {
    if (take_snapshot() == 0) return;
    std::string body = encode_write_request(points_, timestamp_ms_, histograms_);
    milliseconds backoff = kFirstBackoff;
    for (;;) {
      RemoteWriteClient::Outcome outcome = client_->post(body, config_.timeout_seconds);
      if (outcome.delivered) return delivered(points_.size());
      failed(outcome.problem);
      if (!outcome.retry || Clock::now() + backoff >= deadline ||
          wait_until(Clock::now() + backoff))
        return undelivered(points_.size());
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }

  // After the run: the final values, a few attempts within a bounded time.
  void push_final() {
    if (take_snapshot() == 0) return;
    std::string body = encode_write_request(points_, timestamp_ms_, histograms_);
    Clock::time_point end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(kFinalBudgetSeconds));
    milliseconds backoff = kFirstBackoff;
    bool sent = false;
    for (int attempt = 0; attempt < kFinalAttempts && !sent; ++attempt) {
      double left = seconds_between(Clock::now(), end);
      if (left <= 0) break;
      RemoteWriteClient::Outcome outcome =
          client_->post(body, std::min(config_.timeout_seconds, left));
      sent = outcome.delivered;
      if (sent) break;
      failed(outcome.problem);
      if (!outcome.retry || attempt + 1 == kFinalAttempts || Clock::now() + backoff >= end) break;
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
    if (!sent) return undelivered(points_.size());
    delivered(points_.size());
    if (config_.stale_markers) {
      std::string stale = encode_stale_markers(points_, timestamp_ms_ + 1, histograms_);
      RemoteWriteClient::Outcome outcome = client_->post(stale, config_.timeout_seconds);
      if (!outcome.delivered) failed(outcome.problem);
    }
  }

  void delivered(size_t samples) { delivered_ += samples; }
  void undelivered(size_t samples) { undelivered_ += samples; }

  void failed(const std::string& problem) {
    last_problem_ = problem;
    if (failures_++ == 0)
      fprintf(stderr,
              "lueng run: --out prometheus-rw: push to %s failed (%s); retrying with back-off, "
              "the test goes on\n",
              shown_url_.c_str(), problem.c_str());
  }

  RemoteWriteConfig config_;
  std::unique_ptr<RemoteWriteClient> client_;
  RemoteWriteSeries series_;
  std::string shown_url_;  // credentials masked

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;

  // Push thread only (read by finish() once it has joined).
  std::vector<SeriesPoint> points_;
  std::vector<NativeHistogram> histograms_;  // those points_ refer to
  int64_t timestamp_ms_ = 0;
  uint64_t delivered_ = 0, undelivered_ = 0, failures_ = 0;
  std::string last_problem_;
};

}  // namespace

std::unique_ptr<Output> open_prometheus_rw_output(const std::string& argument, std::string* error) {
  RemoteWriteConfig config;
  *error = read_remote_write_config(argument, process_environment(), &config);
  if (!error->empty()) return nullptr;
  try {
    auto client = std::make_unique<RemoteWriteClient>(config);
    return std::make_unique<PrometheusRwOutput>(std::move(config), std::move(client));
  } catch (const http::TlsConfigError& problem) {
    *error = problem.what();
    return nullptr;
  }
}

}  // namespace lueng::output
