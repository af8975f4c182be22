#include "engine/http/session.hpp"

#include <algorithm>
#include <cassert>

#include "engine/http/exchange.hpp"

namespace lueng::http {

Session::Session(Client& client) : client_(client) {}

Session::~Session() {
  close_all();
  own_.reset();
  assert(exchanges_.empty() && "every Exchange goes before its Session");
}

void Session::send(const Request& request, ResponseData& out, ResponseHandler* handler) {
  // Made on first use: a session whose owner sends on Exchanges of its own needs none.
  if (!own_) own_ = std::make_unique<Exchange>(*this);
  own_->start(request, out, handler);
}

bool Session::busy() const {
  return own_ && own_->busy();
}

void Session::close_all() {
  for (Exchange* exchange : exchanges_) exchange->abandon();
  // Connections close their streams as they are destroyed; the streams free
  // themselves once libuv has closed the sockets.
  pool_.clear();
}

void Session::detach(Exchange& exchange) {
  exchanges_.erase(std::find(exchanges_.begin(), exchanges_.end(), &exchange));
}

}  // namespace lueng::http
