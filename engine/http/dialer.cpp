#include "engine/http/dialer.hpp"

#include "engine/http/tcp_stream.hpp"

namespace lueng::http {

int Dialer::start(Client& client, const sockaddr* remote, const TlsTarget* tls,
                  DialListener& listener, const sockaddr* local) {
  reset();
  remote_.assign(remote);
  listener_ = &listener;
  stream_ = tls ? make_tls_stream(client.loop(), client.read_buffer(), *this, *tls)
                : make_tcp_stream(client.loop(), client.read_buffer(), *this);
  start_ns_ = uv_hrtime();
  if (local)
    if (int status = stream_->bind(local); status < 0) return status;
  return stream_->connect(this->remote());
}

void Dialer::reset() {
  stream_.reset();  // closes it; the stream frees itself once libuv is done with it
  listener_ = nullptr;
  protocol_ = {};
}

void Dialer::on_connect(int status) {
  if (!listener_) return;
  const TlsInfo* info = status == 0 ? tls() : nullptr;
  protocol_ = info ? info->alpn : std::string_view{};
  listener_->on_dialed(status);  // last statement: the listener may restart or reset us
}

}  // namespace lueng::http
