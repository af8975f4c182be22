// The HTTP side of --out prometheus-rw.

#include "engine/output/remote_write_client.hpp"

#include <openssl/evp.h>

#include "engine/common/version.hpp"
#include "engine/http/tls_material.hpp"

namespace lueng::output {

namespace {

bool has_header(const std::vector<std::pair<std::string, std::string>>& headers,
                std::string_view name) {
  for (const auto& header : headers) {
    if (header.first.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(header.first[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return true;
  }
  return false;
}

std::string basic_auth(const std::string& username, const std::string& password) {
  std::string credentials = username + ":" + password;
  std::string encoded(4 * ((credentials.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                               reinterpret_cast<const unsigned char*>(credentials.data()),
                               static_cast<int>(credentials.size()));
  encoded.resize(static_cast<size_t>(length));
  return "Basic " + encoded;
}

}  // namespace

struct RemoteWriteClient::Handler final : http::ResponseHandler {
  bool called = false;
  void on_response(http::ResponseData&) override { called = true; }
};

RemoteWriteClient::RemoteWriteClient(const RemoteWriteConfig& config) {
  url_ = *http::parse_url(config.url);  // checked by read_remote_write_config
  header_text_ = config.headers;
  // The user's headers win, as in k6; then a bearer token over basic auth, and
  // the URL's own user:password@ last.
  if (!has_header(header_text_, "Authorization")) {
    if (!config.bearer_token.empty())
      header_text_.emplace_back("Authorization", "Bearer " + config.bearer_token);
    else if (!config.username.empty())
      header_text_.emplace_back("Authorization", basic_auth(config.username, config.password));
    else if (!url_.basic_auth.empty())
      header_text_.emplace_back("Authorization", url_.basic_auth);
  }
  header_text_.emplace_back("Content-Encoding", "snappy");
  header_text_.emplace_back("Content-Type", "application/x-protobuf");
  header_text_.emplace_back("X-Prometheus-Remote-Write-Version", "0.1.0");
  for (const auto& [name, value] : header_text_) headers_.push_back({name, value});

  auto material = std::make_shared<const http::TlsMaterial>(config.tls);
  uv_loop_init(&loop_);
  client_ = std::make_unique<http::Client>(
      &loop_, std::string("lueng/") + kVersion + " prometheus-rw", std::move(material));
  session_ = std::make_unique<http::Session>(*client_);
}

RemoteWriteClient::~RemoteWriteClient() {
  session_.reset();
  client_.reset();
  uv_run(&loop_, UV_RUN_DEFAULT);  // close callbacks free the handles
  uv_loop_close(&loop_);
}

RemoteWriteClient::Outcome RemoteWriteClient::post(std::string_view body, double timeout_seconds) {
  http::Request request;
  request.method = "POST";
  request.url = &url_;
  request.headers = headers_;
  request.body = body;
  request.timeout_seconds = timeout_seconds;
  request.max_body_bytes = 64 * 1024;  // an error message at most
  http::ResponseData response;
  Handler handler;
  session_->send(request, response, &handler);
  while (!handler.called) uv_run(&loop_, UV_RUN_ONCE);

  Outcome outcome;
  if (response.status >= 200 && response.status < 300) {
    outcome.delivered = true;
    return outcome;
  }
  if (response.status == 0) {
    outcome.retry = true;
    outcome.problem = response.error.empty() ? "no response" : response.error;
    return outcome;
  }
  outcome.retry = response.status == 429 || response.status >= 500;
  std::string_view text = response.body;
  if (size_t end = text.find('\n'); end != std::string_view::npos) text = text.substr(0, end);
  if (text.size() > 200) text = text.substr(0, 200);
  outcome.problem =
      "status " + std::to_string(response.status) + (text.empty() ? "" : ": " + std::string(text));
  return outcome;
}

}  // namespace lueng::output
