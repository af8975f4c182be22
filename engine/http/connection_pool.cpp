#include "engine/http/connection_pool.hpp"

#include <algorithm>
#include <iterator>

namespace lueng::http {

// Two buckets: every VU has a pool and most talk to one host, where a map's first
// insert would make thirteen (88 bytes more a VU).
ConnectionPool::ConnectionPool() : hosts_(1) {}

Connection* ConnectionPool::find_ready(const std::string& authority) {
  auto found = hosts_.find(authority);
  if (found == hosts_.end()) return nullptr;
  auto& connections = found->second.connections;
  for (auto it = connections.rbegin(); it != connections.rend(); ++it) {
    if ((*it)->can_send()) return it->get();
  }
  return nullptr;
}

Connection& ConnectionPool::add(const std::string& authority,
                                std::unique_ptr<Connection> connection) {
  auto& connections = hosts_[authority].connections;
  connections.push_back(std::move(connection));
  return *connections.back();
}

void ConnectionPool::drop(Connection& connection) {
  for (auto& [authority, host] : hosts_) {
    auto& connections = host.connections;
    auto found = std::find_if(connections.begin(), connections.end(),
                              [&](const auto& kept) { return kept.get() == &connection; });
    if (found == connections.end()) continue;
    // Moved out first: destroying it closes its stream, and nothing it does then
    // may find the vector half-erased.
    std::unique_ptr<Connection> closing = std::move(*found);
    connections.erase(found);
    return;
  }
}

void ConnectionPool::clear() {
  for (auto& [authority, host] : hosts_) host.connections.clear();
}

void ConnectionPool::close_idle() {
  for (auto& [authority, host] : hosts_) {
    auto& connections = host.connections;
    // Partitioned first and destroyed after, as in drop(): a connection closing may
    // not find the vector half-moved.
    auto idle = std::stable_partition(connections.begin(), connections.end(),
                                      [](const auto& kept) { return !kept->can_send(); });
    std::vector<std::unique_ptr<Connection>> closing(std::make_move_iterator(idle),
                                                     std::make_move_iterator(connections.end()));
    connections.erase(idle, connections.end());
  }
}

TlsSessionSlot& ConnectionPool::tls_session(const std::string& authority) {
  return hosts_[authority].tls_session;
}

size_t ConnectionPool::size() const {
  size_t count = 0;
  for (const auto& [authority, host] : hosts_) count += host.connections.size();
  return count;
}

size_t ConnectionPool::size(const std::string& authority) const {
  auto found = hosts_.find(authority);
  return found == hosts_.end() ? 0 : found->second.connections.size();
}

}  // namespace lueng::http
