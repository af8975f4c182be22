#include "engine/http/client.hpp"

#include <csignal>

#include "engine/http/dns_cache.hpp"
#include "engine/http/tls_context.hpp"

namespace lueng::http {

namespace {

constexpr size_t kReadBufferSize = 64 * 1024;

// libuv writes with write(2), which raises SIGPIPE when the server has reset the
// connection; the default action would kill the whole run. The error comes back
// as EPIPE instead and becomes data like any other failure.
void ignore_sigpipe() {
  static const bool ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)ignored;
}

}  // namespace

Client::Client(uv_loop_t* loop, std::string user_agent, std::shared_ptr<const TlsMaterial> tls,
               LookupFunction lookup)
    : loop_(loop),
      user_agent_(std::move(user_agent)),
      dns_(std::make_unique<DnsCache>(loop, lookup)),
      tls_(std::make_unique<TlsContexts>(std::move(tls))),
      read_buffer_(kReadBufferSize) {
  ignore_sigpipe();
}

Client::~Client() = default;

}  // namespace lueng::http
