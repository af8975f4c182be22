#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <uv.h>

#include "engine/http/client.hpp"
#include "engine/http/session.hpp"
#include "engine/http/url.hpp"
#include "engine/output/remote_write_config.hpp"

namespace lueng::output {

// Posts remote write requests with lueng's own HTTP client (keep-alive, TLS with
// the configured CA and client certificate) on a private event loop: post()
// blocks its caller, the push thread, never a worker.
class RemoteWriteClient {
 public:
  // Reads the TLS files now; throws http::TlsConfigError naming the option.
  explicit RemoteWriteClient(const RemoteWriteConfig& config);
  ~RemoteWriteClient();
  RemoteWriteClient(const RemoteWriteClient&) = delete;
  RemoteWriteClient& operator=(const RemoteWriteClient&) = delete;

  struct Outcome {
    bool delivered = false;
    bool retry = false;   // worth sending again: no answer, 429 or 5xx
    std::string problem;  // why not delivered
  };
  // One POST of an encoded WriteRequest, waiting at most timeout_seconds.
  // One thread at a time.
  Outcome post(std::string_view body, double timeout_seconds);

 private:
  struct Handler;

  http::Url url_;
  std::vector<std::pair<std::string, std::string>> header_text_;
  std::vector<http::Header> headers_;
  uv_loop_t loop_;
  std::unique_ptr<http::Client> client_;
  std::unique_ptr<http::Session> session_;
};

}  // namespace lueng::output
