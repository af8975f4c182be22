#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/http/connection.hpp"
#include "engine/http/tls_session_slot.hpp"

namespace lueng::http {

// The open connections of one Session, by authority ("host:port"), busy and idle:
// a request takes a connection of its authority that can send, or dials a new one
// and adds it. Per authority it also keeps the TLS session for resumption, across
// reconnects and clear(). Loop thread only; connections report idle closes here
// (idle_listener()) and are dropped at once.
class ConnectionPool final : private IdleListener {
 public:
  ConnectionPool();
  ~ConnectionPool() = default;  // closes every connection
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection to `authority` that can send now, or null: the one added last
  // first, so a VU that sends one request at a time keeps to one connection.
  Connection* find_ready(const std::string& authority);
  // Keeps `connection` (made with idle_listener()) under `authority`.
  Connection& add(const std::string& authority, std::unique_ptr<Connection> connection);
  // Closes and forgets `connection`; nothing when it is not (or no longer) here.
  void drop(Connection& connection);
  // Closes every connection; the TLS sessions stay.
  void clear();
  // Closes the connections that carry no request now; busy ones stay.
  void close_idle();

  // The TLS session slot of `authority`, made on first use; its address never changes.
  TlsSessionSlot& tls_session(const std::string& authority);
  // Where connections of this pool report that they closed while idle.
  IdleListener& idle_listener() { return *this; }

  size_t size() const;  // open connections
  size_t size(const std::string& authority) const;

 private:
  struct Host {
    TlsSessionSlot tls_session;
    std::vector<std::unique_ptr<Connection>> connections;  // in the order added
  };

  void on_idle_closed(Connection& connection) override { drop(connection); }

  // Nodes of an unordered_map never move, so a connection's TLS stream may keep a
  // pointer to its host's slot.
  std::unordered_map<std::string, Host> hosts_;
};

}  // namespace lueng::http
