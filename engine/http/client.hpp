#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <uv.h>

#include "engine/http/dns_cache.hpp"
#include "engine/http/host_map.hpp"
#include "engine/http/response.hpp"
#include "engine/http/url.hpp"

namespace lueng::http {

class TlsContexts;
class TlsMaterial;
struct BlockLists;

struct Header {
  std::string_view name;
  std::string_view value;
};

// One request to send. Views must stay valid until the completion callback.
struct Request {
  std::string_view method = "GET";
  const Url* url = nullptr;
  std::span<const Header> headers;  // added after Host and User-Agent; a user
                                    // Host/User-Agent/Content-Length replaces the default
  std::string_view body;            // Content-Length is sent when non-empty or for POST/PUT/PATCH
  double timeout_seconds = 60.0;    // whole request: DNS, connect, send, wait, receive
  bool discard_body = false;        // count body bytes, keep none
  uint64_t max_body_bytes = 0;      // a kept (decoded) body past it fails the request; 0: no limit
  bool close_connection = false;    // "Connection: close" and no reuse after the response
};

// Called once per send(), on the loop thread, with the filled response.
class ResponseHandler {
 public:
  virtual void on_response(ResponseData& response) = 0;

 protected:
  ~ResponseHandler() = default;
};

// The per-loop HTTP machinery: DNS cache, read buffer, TLS contexts, defaults. One
// per worker. Without TLS material, https verifies against the system CAs.
// Must outlive its Sessions (session.hpp). libuv frees handle memory in close
// callbacks, so after destroying Sessions and the Client, run the loop once more
// (uv_run) before uv_loop_close, or it reports UV_EBUSY and the handles leak.
class Client {
 public:
  // `lookup` resolves host names (tests give a resolver of their own).
  Client(uv_loop_t* loop, std::string user_agent, std::shared_ptr<const TlsMaterial> tls = nullptr,
         LookupFunction lookup = system_lookup);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  uv_loop_t* loop() const { return loop_; }
  const std::string& user_agent() const { return user_agent_; }
  DnsCache& dns() { return *dns_; }
  TlsContexts& tls() { return *tls_; }
  // Shared by every stream of the loop: a read is consumed before the next one
  // starts, so one buffer serves thousands of connections.
  std::span<char> read_buffer() { return read_buffer_; }
  // What new connections may not go to (blacklistIPs, blockHostnames); null, the
  // default, for nothing, so that an unblocked run pays one test per connect.
  void set_block_lists(std::shared_ptr<const BlockLists> lists) { block_lists_ = std::move(lists); }
  const BlockLists* block_lists() const { return block_lists_.get(); }
  // The hosts entries with ports (host_map.hpp); null, the default, for none.
  void set_host_map(std::shared_ptr<const HostMap> hosts) { host_map_ = std::move(hosts); }
  const HostMap* host_map() const { return host_map_.get(); }

 private:
  uv_loop_t* loop_;
  std::string user_agent_;
  std::unique_ptr<DnsCache> dns_;
  std::unique_ptr<TlsContexts> tls_;
  std::vector<char> read_buffer_;
  std::shared_ptr<const BlockLists> block_lists_;
  std::shared_ptr<const HostMap> host_map_;
};

}  // namespace lueng::http
