// The options of --out prometheus-rw, read as k6 reads them: environment
// variables first, the --out argument over them.

#include "engine/output/remote_write_config.hpp"

#include <charconv>

#include "engine/common/duration.hpp"
#include "engine/common/text.hpp"
#include "engine/http/tls_material.hpp"
#include "engine/http/url.hpp"

extern char** environ;

namespace lueng::output {

namespace {

constexpr std::string_view kDefaultTrendStats = "avg,min,med,max,p(90),p(95),p(99)";

std::string parse_bool(std::string_view name, std::string_view text, bool* value) {
  if (text == "true" || text == "1") {
    *value = true;
  } else if (text == "false" || text == "0" || text.empty()) {
    *value = false;
  } else {
    return std::string(name) + " must be true or false, not '" + std::string(text) + "'";
  }
  return "";
}

// k6's "1.2" / "1.3" (and lueng's script spelling "tls1.2").
std::string parse_min_version(std::string_view name, std::string_view text, int* version) {
  std::string spelled(text);
  if (spelled.rfind("tls", 0) != 0) spelled = "tls" + spelled;
  *version = http::parse_tls_version(spelled);
  if (*version == 0)
    return std::string(name) + " must be 1.2 or 1.3, not '" + std::string(text) + "'";
  return "";
}

// One option by its argument key (k6's spelling). `name` is what the user wrote,
// for messages.
std::string apply(std::string_view key, std::string_view value, std::string_view name,
                  RemoteWriteConfig* config) {
  if (key == "url") {
    std::string why;
    if (!http::parse_url(value, &why))
      return std::string(name) + ": '" + std::string(value) + "' is not an http(s) URL (" + why +
             ")";
    config->url = std::string(value);
  } else if (key == "pushInterval") {
    std::string why = "must be positive";
    auto seconds = parse_flag_duration(value, &why);
    if (!seconds || *seconds <= 0) return flag_duration_error(name, value, why);
    config->push_interval_seconds = *seconds;
  } else if (key == "username") {
    config->username = std::string(value);
  } else if (key == "password") {
    config->password = std::string(value);
  } else if (key == "bearerToken") {
    config->bearer_token = std::string(value);
  } else if (key == "trendStats") {
    std::vector<TrendStat> stats;
    if (std::string problem = parse_trend_stats(value, &stats); !problem.empty())
      return std::string(name) + ": " + problem;
    config->trend_stats = std::move(stats);
  } else if (key == "staleMarkers") {
    return parse_bool(name, value, &config->stale_markers);
  } else if (key == "insecureSkipTLSVerify") {
    return parse_bool(name, value, &config->tls.insecure_skip_verify);
  } else if (key == "tlsMinVersion") {
    return parse_min_version(name, value, &config->tls.min_version);
  } else if (key == "caCert") {
    config->tls.ca_file = std::string(value);
  } else if (key == "clientCertificate" || key == "clientCertificateKey") {
    if (config->tls.client_certificates.empty()) config->tls.client_certificates.emplace_back();
    http::TlsClientCertificate& identity = config->tls.client_certificates.front();
    (key == "clientCertificate" ? identity.cert : identity.key) = std::string(value);
    identity.where = std::string(name);
  } else if (key == "trendAsNativeHistogram") {
    return parse_bool(name, value, &config->trend_as_native_histogram);
  } else if (key.starts_with("headers.") && key.size() > 8) {
    config->headers.emplace_back(key.substr(8), value);
  } else if (key.starts_with("labels.") && key.size() > 7) {
    config->labels.emplace_back(key.substr(7), value);
  } else {
    return std::string(name) + " is not an option of prometheus-rw";
  }
  return "";
}

// Environment variables and the argument keys they set.
struct EnvOption {
  const char* variable;
  const char* key;
};
constexpr EnvOption kEnvOptions[] = {
    {"K6_PROMETHEUS_RW_SERVER_URL", "url"},
    {"K6_PROMETHEUS_RW_PUSH_INTERVAL", "pushInterval"},
    {"K6_PROMETHEUS_RW_USERNAME", "username"},
    {"K6_PROMETHEUS_RW_PASSWORD", "password"},
    {"K6_PROMETHEUS_RW_BEARER_TOKEN", "bearerToken"},
    {"K6_PROMETHEUS_RW_TREND_STATS", "trendStats"},
    {"K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM", "trendAsNativeHistogram"},
    {"K6_PROMETHEUS_RW_STALE_MARKERS", "staleMarkers"},
    {"K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY", "insecureSkipTLSVerify"},
    {"K6_PROMETHEUS_RW_TLS_MINIMUM_VERSION", "tlsMinVersion"},
    {"K6_PROMETHEUS_RW_CLIENT_CERTIFICATE", "clientCertificate"},
    {"K6_PROMETHEUS_RW_CLIENT_CERTIFICATE_KEY", "clientCertificateKey"},
    {"LUENG_PROMETHEUS_RW_CA_CERTIFICATE", "caCert"},
};

// "name:value,name:value" (K6_PROMETHEUS_RW_HTTP_HEADERS) or "name=value,..."
// (LUENG_PROMETHEUS_RW_LABELS) into pairs.
std::string read_pairs(std::string_view variable, std::string_view text, char separator,
                       std::vector<std::pair<std::string, std::string>>* pairs) {
  for (std::string_view item : split(text, ',')) {
    size_t at = item.find(separator);
    if (at == std::string_view::npos || at == 0)
      return std::string(variable) + ": '" + std::string(item) + "' is not NAME" + separator +
             "VALUE";
    pairs->emplace_back(trim_whitespace(item.substr(0, at)), trim_whitespace(item.substr(at + 1)));
  }
  return "";
}

std::string read_environment(const Environment& env, RemoteWriteConfig* config) {
  for (const EnvOption& option : kEnvOptions)
    for (const auto& [name, value] : env)
      if (name == option.variable)
        if (std::string problem = apply(option.key, value, name, config); !problem.empty())
          return problem;
  constexpr std::string_view kHeaderPrefix = "K6_PROMETHEUS_RW_HEADERS_";
  for (const auto& [name, value] : env) {
    if (name.starts_with(kHeaderPrefix) && name.size() > kHeaderPrefix.size())
      config->headers.emplace_back(name.substr(kHeaderPrefix.size()), value);
    if (name == "K6_PROMETHEUS_RW_HTTP_HEADERS")
      if (std::string problem = read_pairs(name, value, ':', &config->headers); !problem.empty())
        return problem;
    if (name == "LUENG_PROMETHEUS_RW_LABELS")
      if (std::string problem = read_pairs(name, value, '=', &config->labels); !problem.empty())
        return problem;
  }
  return "";
}

std::string read_argument(std::string_view argument, RemoteWriteConfig* config) {
  if (argument.empty()) return "";
  for (std::string_view item : split(argument, ',')) {
    if (item.starts_with("http://") || item.starts_with("https://")) {
      if (std::string problem = apply("url", item, "the URL", config); !problem.empty())
        return problem;
      continue;
    }
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return "'" + std::string(item) + "' is neither a URL nor KEY=VALUE";
    std::string_view key = item.substr(0, eq);
    if (std::string problem = apply(key, item.substr(eq + 1), key, config); !problem.empty())
      return problem;
  }
  return "";
}

std::string percentile_suffix(std::string_view inside) {
  std::string suffix = "p";
  for (char c : inside)
    if (c != '.') suffix += c;
  return suffix;
}

}  // namespace

std::string parse_trend_stats(std::string_view text, std::vector<TrendStat>* stats) {
  stats->clear();
  for (std::string_view item : split(text, ',')) {
    std::string_view stat = trim_whitespace(item);
    TrendStat parsed;
    parsed.suffix = std::string(stat);
    if (stat == "avg") {
      parsed.kind = TrendStat::Kind::kAvg;
    } else if (stat == "min") {
      parsed.kind = TrendStat::Kind::kMin;
    } else if (stat == "med") {
      parsed.kind = TrendStat::Kind::kMed;
    } else if (stat == "max") {
      parsed.kind = TrendStat::Kind::kMax;
    } else if (stat == "count") {
      parsed.kind = TrendStat::Kind::kCount;
    } else if (stat == "sum") {
      parsed.kind = TrendStat::Kind::kSum;
    } else if (stat.starts_with("p(") && stat.ends_with(")") && stat.size() > 3) {
      std::string_view inside = stat.substr(2, stat.size() - 3);
      double p = 0;
      auto [end, error] = std::from_chars(inside.data(), inside.data() + inside.size(), p);
      if (error != std::errc() || end != inside.data() + inside.size() || !(p >= 0 && p <= 100))
        return "trend stat '" + std::string(stat) + "': the percentile must be 0 to 100";
      parsed.kind = TrendStat::Kind::kPercentile;
      parsed.percentile = p;
      parsed.suffix = percentile_suffix(inside);
    } else {
      return "unknown trend stat '" + std::string(stat) +
             "' (use avg, min, med, max, count, sum or p(N))";
    }
    for (const TrendStat& known : *stats)
      if (known.suffix == parsed.suffix)
        return "trend stat '" + std::string(stat) + "' is listed twice";
    stats->push_back(std::move(parsed));
  }
  return "";
}

Environment process_environment() {
  Environment env;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view text(*entry);
    size_t eq = text.find('=');
    if (eq != std::string_view::npos) env.emplace_back(text.substr(0, eq), text.substr(eq + 1));
  }
  return env;
}

std::string read_remote_write_config(std::string_view argument, const Environment& env,
                                     RemoteWriteConfig* config) {
  parse_trend_stats(kDefaultTrendStats, &config->trend_stats);
  if (std::string problem = read_environment(env, config); !problem.empty()) return problem;
  if (std::string problem = read_argument(argument, config); !problem.empty()) return problem;
  if (!config->tls.client_certificates.empty()) {
    const http::TlsClientCertificate& identity = config->tls.client_certificates.front();
    if (identity.cert.empty() || identity.key.empty())
      return "a client certificate needs both clientCertificate and clientCertificateKey "
             "(K6_PROMETHEUS_RW_CLIENT_CERTIFICATE and _KEY)";
  }
  if (!config->password.empty() && config->username.empty())
    return "password without username (K6_PROMETHEUS_RW_USERNAME)";
  return "";
}

}  // namespace lueng::output
