#include "engine/http/client.hpp"
#include "engine/http/connection.hpp"
#include "engine/http/exchange.hpp"

namespace lueng::http {

Session::Session(Client& client) : client_(client), exchange_(std::make_unique<Exchange>(*this)) {}

Session::~Session() {
  close_all();
}

void Session::send(const Request& request, ResponseData& out, ResponseHandler* handler) {
  exchange_->start(request, out, handler);
}

void Session::close_all() {
  exchange_->abandon();
  active_ = nullptr;
  // Connections close their streams as they are destroyed; the streams free
  // themselves once libuv has closed the sockets.
  connections_.clear();
}

bool Session::busy() const {
  return exchange_->busy();
}

}  // namespace lueng::http
