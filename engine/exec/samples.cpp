#include "engine/exec/samples.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>
#include <utility>

#include "engine/exec/http_call.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/vu.hpp"
#include "engine/exec/worker.hpp"
#include "engine/metrics/tag_set_memo.hpp"
#include "engine/metrics/tags.hpp"

namespace lueng::exec {

namespace {

using namespace metrics::builtin;

// Whether samples carry system tag `tag` (systemTags): tested only where a tag
// set is built, which the memo makes rare.
bool tagged(Worker& worker, SystemTag tag) {
  return worker.plan().system_tags.has(tag);
}

// Tags every sample of a scenario carries: its own tags and its name.
metrics::TagSetBuilder& scenario_tags(Worker& worker, const ScenarioConfig& config) {
  metrics::TagSetBuilder& tags = worker.tags();
  tags.clear();
  for (const auto& [key, value] : config.tags) tags.set(key, value);
  if (config.root_group.empty() && tagged(worker, SystemTag::kScenario))
    tags.set("scenario", config.name);
  return tags;
}

// ... and, for what a VU does, the group it is in (`group`: the VU's, or "" for
// what belongs to the whole iteration).
metrics::TagSetBuilder& base_tags(Worker& worker, Vu& vu, std::string_view group) {
  metrics::TagSetBuilder& tags = scenario_tags(worker, vu.scenario().config());
  if (tagged(worker, SystemTag::kGroup)) tags.set("group", group);
  for (const auto& [key, value] : vu.tags()) tags.set(key, value);
  return tags;
}

metrics::TagSetBuilder& base_tags(Worker& worker, Vu& vu) {
  return base_tags(worker, vu, vu.group());
}

// The peer's address as text (k6's ip tag), into `buffer`; "" when unknown.
std::string_view ip_text(const http::IpAddress& peer, char (&buffer)[INET6_ADDRSTRLEN]) {
  const sockaddr* address = peer.get();
  const void* raw = nullptr;
  if (address->sa_family == AF_INET)
    raw = &reinterpret_cast<const sockaddr_in*>(address)->sin_addr;
  else if (address->sa_family == AF_INET6)
    raw = &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
  if (!raw || !inet_ntop(address->sa_family, raw, buffer, INET6_ADDRSTRLEN)) return {};
  return buffer;
}

// The id of scenario_tags(), which only depend on the scenario.
metrics::TagSetId scenario_tag_set(Worker& worker, const ScenarioConfig& config, uint32_t* hint) {
  metrics::TagSetMemo& memo = worker.tag_memo();
  memo.begin('s');
  memo.add_pointer(&config);
  return metrics::memo_intern(memo, hint, worker.sink(),
                              [&] { return scenario_tags(worker, config).encode(); });
}

// Once per run, on the error path only: the cause of the first request that got
// no response at all ("connection refused"), with what it asked for.
void report_first_network_error(Worker& worker, const HttpCall& call, std::string_view method,
                                const http::ResponseData& response) {
  if (response.status != 0 || response.error_code == http::ErrorCode::kNone) return;
  if (worker.shared().network_error_reported.exchange(true, std::memory_order_relaxed)) return;
  fprintf(stderr,
          "WARN first request without a response: %.*s %s: %s (error_code %d); every failed "
          "request is counted in http_req_failed\n",
          static_cast<int>(method.size()), method.data(), call.url_text.c_str(),
          response.error.c_str(), static_cast<int>(response.error_code));
}

// What the reports' endpoint table goes by: the endpoint tag when the script
// gave one, else the name tag.
std::string_view endpoint_of(const HttpCall& call, std::string_view name) {
  std::string_view endpoint = name;
  call.for_each_tag([&](const std::string& key, const std::string& value) {
    if (key == "endpoint" && !value.empty()) endpoint = value;
  });
  return endpoint;
}

// `error_code`: k6's, as the error_code tag has it (1000 + status for a 4xx or 5xx).
void record_failure(Worker& worker, const HttpCall& call, std::string_view name,
                    std::string_view method, const http::ResponseData& response, int error_code) {
  worker.shared().failures.record(method, endpoint_of(call, name), response.status, error_code,
                                  response.error);
}

}  // namespace

std::string_view k6_error_text(const http::ResponseData& response) {
  using http::ErrorCode;
  bool reading = response.error.starts_with("read");
  switch (response.error_code) {
    case ErrorCode::kNone:
      return {};
    case ErrorCode::kRequestTimeout:
      return "request timeout";
    case ErrorCode::kDnsNoAddress:
      return "lookup: no such host";
    case ErrorCode::kBlacklistedIp:
      return "ip is blacklisted";
    case ErrorCode::kBlockedHostname:
      return "hostname is blocked";
    case ErrorCode::kDialTimeout:
      return "dial: i/o timeout";
    case ErrorCode::kConnectionRefused:
      return "dial: connection refused";
    case ErrorCode::kConnectionReset:
      return reading ? "read: connection reset by peer" : "write: connection reset by peer";
    case ErrorCode::kBrokenPipe:
      return reading ? "read: broken pipe" : "write: broken pipe";
    case ErrorCode::kTlsVerifyFailed:
      return "x509: unknown authority";
    case ErrorCode::kTlsHostnameMismatch:
      return "x509: certificate doesn't match hostname";
    default:
      return response.error;
  }
}

namespace {

const char* proto_of(const http::ResponseData& response) {
  if (response.status == 0) return "";
  return response.http_minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
}

}  // namespace

void record_http(Worker& worker, Vu& vu, const HttpCall& call, std::string_view name,
                 std::string_view method, const http::ResponseData& response) {
  bool judged = call.response_callback;
  bool expected = !judged || call.expects(response.status);
  int error_code = k6_error_code(response);
  const char* proto = proto_of(response);
  std::string_view error_text;
  if (response.error_code != http::ErrorCode::kNone) error_text = k6_error_text(response);
  char ip_buffer[INET6_ADDRSTRLEN];
  std::string_view ip;
  if (tagged(worker, SystemTag::kIp)) ip = ip_text(response.remote, ip_buffer);
  // Everything the tag set below is built from. The url tag is the name tag
  // (k6 gives both the same value), so name stands for both.
  auto pieces = [&](auto& to) {
    to.add_pointer(&vu.scenario().config());
    to.add(vu.tags_key());
    to.add(vu.group());
    to.add(name);
    to.add(method);
    // status, error_code, HTTP minor version (the proto tag) and the judgement in
    // one number; the error text (set only with an error_code) after it.
    to.add_number(static_cast<uint64_t>(response.status) << 32 |
                  static_cast<uint64_t>(error_code) << 8 |
                  static_cast<uint64_t>(response.http_minor & 0x3f) << 2 | (judged ? 2u : 0u) |
                  (expected ? 1u : 0u));
    if (!error_text.empty()) to.add(error_text);
    to.add(response.tls_version);
    if (!ip.empty()) to.add(ip);
    call.for_each_tag([&](const std::string& key, const std::string& value) {
      to.add(key);
      to.add(value);
    });
  };

  metrics::Sink& sink = worker.sink();
  metrics::TagSetMemo& memo = worker.tag_memo();
  metrics::TagSetId id = metrics::memo_intern(memo, 'h', &vu.tag_hints().http, sink, pieces, [&] {
    metrics::TagSetBuilder& tags = base_tags(worker, vu);
    char status[8], code[8];
    auto status_end = std::to_chars(status, status + sizeof status, response.status).ptr;
    // A name the script gave is a tag of its own, kept whatever systemTags says.
    if (call.name_from_script || tagged(worker, SystemTag::kName)) tags.set("name", name);
    if (tagged(worker, SystemTag::kUrl)) tags.set("url", name);
    if (tagged(worker, SystemTag::kMethod)) tags.set("method", method);
    if (tagged(worker, SystemTag::kStatus))
      tags.set("status", {status, static_cast<size_t>(status_end - status)});
    if (*proto && tagged(worker, SystemTag::kProto)) tags.set("proto", proto);
    if (judged && tagged(worker, SystemTag::kExpectedResponse))
      tags.set("expected_response", expected ? "true" : "false");
    if (error_code != 0 && tagged(worker, SystemTag::kErrorCode)) {
      auto end = std::to_chars(code, code + sizeof code, error_code).ptr;
      tags.set("error_code", {code, static_cast<size_t>(end - code)});
    }
    if (!error_text.empty() && tagged(worker, SystemTag::kError)) tags.set("error", error_text);
    if (*response.tls_version && tagged(worker, SystemTag::kTlsVersion))
      tags.set("tls_version", response.tls_version);
    if (!ip.empty()) tags.set("ip", ip);
    call.for_each_tag(
        [&](const std::string& key, const std::string& value) { tags.set(key, value); });
    return tags.encode();
  });
  uint64_t now = response.completed_ns != 0 ? response.completed_ns : uv_hrtime();
  const http::Timings& t = response.timings;
  // The result model keeps the bytes by request (per endpoint, for the reports);
  // the streams get them per iteration (record_io), as k6 emits them.
  sink.add_http(id,
                {t.duration, t.blocked, t.connecting, t.tls_handshaking, t.sending, t.waiting,
                 t.receiving, static_cast<double>(response.bytes_sent),
                 static_cast<double>(response.bytes_received), judged, !expected},
                now, vu.metadata_id());
  if (sink.streams()) {
    vu.io_bytes().sent += static_cast<double>(response.bytes_sent);
    vu.io_bytes().received += static_cast<double>(response.bytes_received);
  }

  if (!expected) {
    if (response.status == 0) report_first_network_error(worker, call, method, response);
    record_failure(worker, call, name, method, response, error_code);
  }
  vu.scenario().count_request(!expected);
  IntervalStats& interval = worker.interval(now);
  ++interval.requests;
  if (!expected) ++interval.failed;
  interval.data_sent += static_cast<double>(response.bytes_sent);
  interval.data_received += static_cast<double>(response.bytes_received);
  EndpointSecond& endpoint =
      interval.endpoint(worker.endpoint_of(id, method, [&] { return endpoint_of(call, name); }));
  ++endpoint.requests;
  if (!expected) ++endpoint.failed;
  endpoint.duration.add(t.duration);
}

void record_iteration(Worker& worker, Vu& vu, double duration_ms, uint64_t now) {
  metrics::Sink& sink = worker.sink();
  metrics::TagSetId id = vu.iteration_tags();
  if (id == Vu::kUnknownTags) {
    metrics::TagSetMemo& memo = worker.tag_memo();
    memo.begin('i');
    memo.add_pointer(&vu.scenario().config());
    memo.add(vu.tags_key());
    uint32_t hint = 0;
    id =
        metrics::memo_intern(memo, &hint, sink, [&] { return base_tags(worker, vu, "").encode(); });
    // A folded tag set is looked up every time, so each refused one is counted.
    if (!sink.folded(id)) vu.iteration_tags() = id;
  }
  sink.add(kIterations, id, 1, now, vu.metadata_id());
  sink.add(kIterationDuration, id, duration_ms, now, vu.metadata_id());
  ++worker.interval(now).iterations;
}

void record_io(Worker& worker, Vu& vu) {
  metrics::Sink& sink = worker.sink();
  if (!sink.streams()) return;
  metrics::TagSetMemo& memo = worker.tag_memo();
  memo.begin('d');
  memo.add_pointer(&vu.scenario().config());
  memo.add(vu.tags_key());
  metrics::TagSetId id = metrics::memo_intern(memo, &vu.tag_hints().io, sink, [&] {
    // The iteration's: it has left every group but setup()'s or teardown()'s own.
    return base_tags(worker, vu, vu.scenario().config().root_group).encode();
  });
  uint64_t now = uv_hrtime();
  Vu::IoBytes io = std::exchange(vu.io_bytes(), {});
  sink.stream_only(kDataSent, id, io.sent, now, vu.metadata_id());
  sink.stream_only(kDataReceived, id, io.received, now, vu.metadata_id());
}

void record_check(Worker& worker, Vu& vu, std::string_view name, bool passed,
                  std::span<const std::pair<std::string_view, std::string_view>> extra_tags) {
  auto pieces = [&](auto& to) {
    to.add_pointer(&vu.scenario().config());
    to.add(vu.tags_key());
    to.add(vu.group());
    to.add(name);
    for (const auto& [key, value] : extra_tags) {
      to.add(key);
      to.add(value);
    }
  };
  metrics::Sink& sink = worker.sink();
  metrics::TagSetMemo& memo = worker.tag_memo();
  metrics::TagSetId id = metrics::memo_intern(memo, 'c', &vu.tag_hints().check, sink, pieces, [&] {
    metrics::TagSetBuilder& tags = base_tags(worker, vu);
    if (tagged(worker, SystemTag::kCheck)) tags.set("check", name);
    for (const auto& [key, value] : extra_tags) tags.set(key, value);
    return tags.encode();
  });
  uint64_t now = uv_hrtime();
  sink.add(kChecks, id, passed ? 1 : 0, now, vu.metadata_id());
  IntervalStats& interval = worker.interval(now);
  ++(passed ? interval.checks_passed : interval.checks_failed);
}

void record_group(Worker& worker, Vu& vu, double duration_ms) {
  metrics::TagSetMemo& memo = worker.tag_memo();
  memo.begin('g');
  memo.add_pointer(&vu.scenario().config());
  memo.add(vu.tags_key());
  memo.add(vu.group());
  metrics::Sink& sink = worker.sink();
  metrics::TagSetId id = metrics::memo_intern(memo, &vu.tag_hints().group, sink,
                                              [&] { return base_tags(worker, vu).encode(); });
  sink.add(kGroupDuration, id, duration_ms, uv_hrtime(), vu.metadata_id());
}

void record_iteration_start_lag(Worker& worker, Vu& vu, double lag_ms) {
  metrics::Sink& sink = worker.sink();
  metrics::TagSetId id =
      scenario_tag_set(worker, vu.scenario().config(), &vu.tag_hints().iteration_start_lag);
  uint64_t now = uv_hrtime();
  sink.add(kIterationStartLag, id, lag_ms, now);
  worker.interval(now).start_lag.add(lag_ms);
}

void record_custom(Worker& worker, Vu& vu, metrics::MetricId metric, double value,
                   std::span<const std::pair<std::string_view, std::string_view>> extra_tags) {
  metrics::TagSetMemo& memo = worker.tag_memo();
  memo.begin('m');
  memo.add_pointer(&vu.scenario().config());
  memo.add(vu.tags_key());
  memo.add(vu.group());
  for (const auto& [key, tag_value] : extra_tags) {
    memo.add(key);
    memo.add(tag_value);
  }
  metrics::Sink& sink = worker.sink();
  metrics::TagSetId id = metrics::memo_intern(memo, &vu.tag_hints().custom, sink, [&] {
    metrics::TagSetBuilder& tags = base_tags(worker, vu);
    for (const auto& [key, tag_value] : extra_tags) tags.set(key, tag_value);
    return tags.encode();
  });
  uint64_t now = uv_hrtime();
  sink.add(metric, id, value, now, vu.metadata_id());
  CustomSecond& second = worker.interval(now).custom_metric(metric);
  second.type = sink.catalog().def(metric).type;
  second.values.add(second.type, value, now);
}

void record_dropped_iteration(Worker& worker, const ScenarioConfig& scenario) {
  uint32_t hint = 0;
  metrics::TagSetId id = scenario_tag_set(worker, scenario, &hint);
  uint64_t now = uv_hrtime();
  worker.sink().add(kDroppedIterations, id, 1, now);
  ++worker.interval(now).dropped;
}

void record_script_error(Worker& worker, Vu& vu, bool deliberate) {
  // Off the hot path (an iteration that failed): no memo needed.
  const ScenarioConfig& config = vu.scenario().config();
  metrics::TagSetBuilder& tags = scenario_tags(worker, config);
  tags.set("exec", config.exec);
  tags.set("kind", deliberate ? "fail" : "error");
  metrics::Sink& sink = worker.sink();
  sink.add(kScriptErrors, sink.intern(tags.encode()), 1, uv_hrtime());
}

}  // namespace lueng::exec
