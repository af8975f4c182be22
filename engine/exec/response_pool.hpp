#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/response.hpp"

namespace lueng::exec {

// A response handed to Lua: the wire data plus what the script asked for.
struct PooledResponse {
  http::ResponseData data;
  std::string url;
  std::string method;
  // What the last hop sent, for k6's res.request: its headers as
  // "name\0value\0" pairs (not the User-Agent the connection adds when the
  // script sets none) and its body. Made by the first request with either, and
  // kept: most requests have neither, and a pooled response is alive per VU.
  struct SentRequest {
    std::string headers;
    std::string body;
  };
  std::unique_ptr<SentRequest> sent;
  std::string_view request_headers() const {
    return sent ? std::string_view(sent->headers) : std::string_view();
  }
  std::string_view request_body() const {
    return sent ? std::string_view(sent->body) : std::string_view();
  }
};

// Responses are recycled once Lua has collected their userdata, so a VU that sends
// request after request reuses the same buffers instead of allocating new ones.
// A buffer that grew past kKeptBytes for one large response is freed when it
// comes back: memory follows what the script holds, not the largest response
// each pooled slot ever saw (the bindings tell Lua's collector about the body
// memory a response holds, so unread large bodies are collected promptly).
class ResponsePool {
 public:
  static constexpr size_t kKeptBytes = 256 * 1024;

  PooledResponse* take();
  void give_back(PooledResponse* response);
  size_t allocated() const { return all_.size(); }
  bool has_free() const { return !free_.empty(); }

 private:
  std::vector<std::unique_ptr<PooledResponse>> all_;
  std::vector<PooledResponse*> free_;
};

}  // namespace lueng::exec
