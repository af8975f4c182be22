#include "tools/hotel-mock/options.hpp"

#include <arpa/inet.h>
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "engine/common/byte_size.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/exit_codes.hpp"
#include "engine/common/version.hpp"

namespace lueng::hotel_mock {

namespace {

// Far beyond any client timeout, and small enough that delays stay exact integers.
constexpr double kMaxLatencySeconds = 3600;
constexpr double kMaxHoldSeconds = 366 * 86400.0;

std::optional<Latency> parse_mean_jitter(std::string_view text) {
  auto colon = text.find(':');
  auto mean = parse_flag_duration(text.substr(0, colon));
  if (!mean || *mean < 0 || *mean > kMaxLatencySeconds) return std::nullopt;
  Latency latency{*mean, 0};
  if (colon != std::string_view::npos) {
    auto jitter = parse_flag_duration(text.substr(colon + 1));
    if (!jitter || *jitter < 0 || *jitter > kMaxLatencySeconds) return std::nullopt;
    latency.jitter_s = *jitter;
  }
  return latency;
}

// Accepts IPv4 literals, bracketed IPv6 literals and `localhost`; a mock has no
// business resolving names or listening anywhere it was not told to.
std::optional<std::string> parse_listen(const std::string& text, Options& options) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return "expected HOST:PORT";
  std::string host = text.substr(0, colon);
  std::string_view port_text = std::string_view(text).substr(colon + 1);
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535)
    return "invalid port";
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  if (host.empty()) return "missing host";
  in6_addr address;
  if (inet_pton(AF_INET, host.c_str(), &address) != 1 &&
      inet_pton(AF_INET6, host.c_str(), &address) != 1)
    return "the host must be an IP address or localhost";
  options.host = host;
  options.port = port;
  return std::nullopt;
}

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

Latency Options::latency_of(Endpoint endpoint) const {
  if (const auto& own = latency[index_of(endpoint)]) return *own;
  if (endpoint == Endpoint::kWhatsappAudio) {
    if (const auto& text = latency[index_of(Endpoint::kWhatsapp)]) return *text;
  }
  // Scrapes observe the mock rather than take part in the scenario; a blanket
  // latency must not slow them.
  if (endpoint == Endpoint::kMetrics) return Latency{};
  return default_latency.value_or(Latency{});
}

std::variant<LatencySetting, std::string> parse_latency(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos) return std::string("expected ENDPOINT=MEAN[:JITTER]");
  std::string_view name = text.substr(0, eq);
  LatencySetting setting;
  if (name != "default") {
    setting.endpoint = endpoint_from_name(name);
    if (!setting.endpoint || *setting.endpoint == Endpoint::kUnknown)
      return fmt::format("unknown endpoint '{}'", name);
  }
  auto latency = parse_mean_jitter(text.substr(eq + 1));
  if (!latency) return std::string("MEAN and JITTER must be durations of at most 1h");
  setting.latency = *latency;
  return setting;
}

std::variant<Options, int> parse_options(int argc, char** argv) {
  Options options;
  std::string listen = "127.0.0.1:8000";
  std::vector<std::string> latencies;
  std::string hold = "15m";
  std::string degrade = "0s";
  bool leak = false;
  std::string leak_per_request = "64KiB";
  std::string leak_cap = "256MiB";

  CLI::App app{
      "hotel-mock: an in-memory hotel API (PMS, reservations, WhatsApp and Mercado Pago "
      "webhooks) for lueng to load-test",
      "hotel-mock"};
  app.set_version_flag("--version", fmt::format("hotel-mock {}", kVersion));
  app.add_option("--listen", listen, "Address to listen on, HOST:PORT")->capture_default_str();
  app.add_option("--threads", options.threads, "Event loops, each accepting connections")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--latency", latencies,
                 "Added latency ENDPOINT=MEAN[:JITTER], e.g. prereserve=200ms:50ms; repeatable; "
                 "ENDPOINT 'default' covers endpoints without their own")
      ->allow_extra_args(false);
  app.add_option("--error-rate", options.error_rate, "Fraction of requests answered 500 (0..1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--capacity", options.capacity,
                 "Requests in flight before latency grows; 503 past 4x; 0 = unlimited")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  app.add_option("--degrade", degrade,
                 "Added latency of business requests grows by this duration per second of "
                 "uptime, e.g. 2ms (a leaking backend)")
      ->capture_default_str();
  app.add_flag("--leak", leak,
               "Leak memory: every business request keeps --leak-per-request bytes for good, "
               "up to --leak-cap (a service with a memory leak, for soak tests)");
  app.add_option("--leak-per-request", leak_per_request, "Bytes each request leaks with --leak")
      ->capture_default_str();
  app.add_option("--leak-cap", leak_cap, "Most bytes --leak keeps in all (at most 4GiB)")
      ->capture_default_str();
  app.add_option("--whatsapp-secret", options.whatsapp_secret,
                 "App secret; when set, X-Hub-Signature-256 is required");
  app.add_option("--mp-secret", options.mp_secret,
                 "Mercado Pago webhook secret; when set, x-signature is required");
  app.add_option("--verify-token", options.verify_token, "WhatsApp verify token")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the error-injection and jitter RNG")
      ->capture_default_str();
  app.add_option("--hold", hold, "How long a pre-reservation holds its dates")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "hotel-mock: %s\n", one_line(e.what()).c_str());
    return static_cast<int>(kExitInvalidConfig);
  }

  auto fail = [](const std::string& message) {
    std::fprintf(stderr, "hotel-mock: %s\n", message.c_str());
    return static_cast<int>(kExitInvalidConfig);
  };
  if (auto error = parse_listen(listen, options))
    return fail(fmt::format("--listen '{}': {}", listen, *error));
  for (const auto& text : latencies) {
    auto parsed = parse_latency(text);
    if (auto* error = std::get_if<std::string>(&parsed))
      return fail(fmt::format("--latency '{}': {}", text, *error));
    const auto& setting = std::get<LatencySetting>(parsed);
    if (setting.endpoint) {
      options.latency[index_of(*setting.endpoint)] = setting.latency;
    } else {
      options.default_latency = setting.latency;
    }
  }
  auto hold_s = parse_flag_duration(hold);
  if (!hold_s || *hold_s <= 0 || *hold_s > kMaxHoldSeconds)
    return fail(fmt::format("--hold '{}': expected a positive duration of at most 366 days", hold));
  options.hold_s = *hold_s;
  auto degrade_s = parse_flag_duration(degrade);
  if (!degrade_s || *degrade_s < 0 || *degrade_s > kMaxLatencySeconds)
    return fail(fmt::format("--degrade '{}': expected a duration of at most 1h", degrade));
  options.degrade_s = *degrade_s;
  auto per_request = parse_byte_size(leak_per_request);
  if (!per_request || *per_request == 0 || *per_request > (64ull << 20))
    return fail(
        fmt::format("--leak-per-request '{}': expected a size from 1B to 64MiB", leak_per_request));
  auto cap = parse_byte_size(leak_cap);
  if (!cap || *cap > (4ull << 30))
    return fail(fmt::format("--leak-cap '{}': expected a size of at most 4GiB", leak_cap));
  if (leak) options.leak_per_request = *per_request;
  options.leak_cap_bytes = *cap;
  return options;
}

}  // namespace lueng::hotel_mock
