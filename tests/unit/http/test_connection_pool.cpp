// The pool on its own, with connections that only say whether they can send: which
// one a request gets, what dropping and clearing keep.

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "engine/http/connection_pool.hpp"
#include "engine/http/ip_address.hpp"

using namespace lueng::http;

namespace {

class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(int* destroyed = nullptr) : destroyed_(destroyed) {}
  ~FakeConnection() override {
    if (destroyed_) ++*destroyed_;
  }
  bool can_send() const override { return ready; }
  const IpAddress& peer() const override { return address; }
  void send(const Request&, std::string_view, ResponseData&, ConnectionListener&) override {}
  void abort_exchange(ConnectionListener&) override {}

  bool ready = true;
  IpAddress address;

 private:
  int* destroyed_;
};

FakeConnection& add(ConnectionPool& pool, const std::string& authority, int* destroyed = nullptr) {
  return static_cast<FakeConnection&>(
      pool.add(authority, std::make_unique<FakeConnection>(destroyed)));
}

}  // namespace

TEST_CASE("pool: a request gets a ready connection of its own authority") {
  ConnectionPool pool;
  CHECK(pool.find_ready("a:80") == nullptr);
  FakeConnection& a = add(pool, "a:80");
  FakeConnection& b = add(pool, "b:80");
  CHECK(pool.find_ready("a:80") == &a);
  CHECK(pool.find_ready("b:80") == &b);
  CHECK(pool.find_ready("a:443") == nullptr);  // another port is another authority
  a.ready = false;                             // busy with another exchange
  CHECK(pool.find_ready("a:80") == nullptr);
  CHECK(pool.size() == 2);
}

TEST_CASE("pool: the connection added last is taken first, busy ones are passed over") {
  ConnectionPool pool;
  FakeConnection& first = add(pool, "a:80");
  FakeConnection& second = add(pool, "a:80");
  FakeConnection& third = add(pool, "a:80");
  CHECK(pool.size("a:80") == 3);
  CHECK(pool.find_ready("a:80") == &third);
  third.ready = false;
  CHECK(pool.find_ready("a:80") == &second);
  second.ready = false;
  CHECK(pool.find_ready("a:80") == &first);
  first.ready = false;
  CHECK(pool.find_ready("a:80") == nullptr);
}

TEST_CASE("pool: dropping closes one connection, clearing all, TLS sessions stay") {
  int destroyed = 0;
  ConnectionPool pool;
  TlsSessionSlot& slot = pool.tls_session("a:443");
  FakeConnection& one = add(pool, "a:443", &destroyed);
  FakeConnection& two = add(pool, "a:443", &destroyed);
  add(pool, "b:443", &destroyed);

  pool.drop(two);
  CHECK(destroyed == 1);
  CHECK(pool.size("a:443") == 1);
  CHECK(pool.find_ready("a:443") == &one);
  FakeConnection stranger;
  pool.drop(stranger);  // not in the pool: nothing happens
  CHECK(pool.size() == 2);

  pool.clear();
  CHECK(destroyed == 3);
  CHECK(pool.size() == 0);
  CHECK(pool.find_ready("a:443") == nullptr);
  CHECK(&pool.tls_session("a:443") == &slot);  // kept, at the same address
}

TEST_CASE("pool: a connection that closes while idle is dropped") {
  int destroyed = 0;
  ConnectionPool pool;
  FakeConnection& kept = add(pool, "a:80", &destroyed);
  FakeConnection& closing = add(pool, "a:80", &destroyed);
  pool.idle_listener().on_idle_closed(closing);
  CHECK(destroyed == 1);
  CHECK(pool.size() == 1);
  CHECK(pool.find_ready("a:80") == &kept);
}

TEST_CASE("pool: slots of many authorities never move") {
  ConnectionPool pool;
  TlsSessionSlot& first = pool.tls_session("host0:443");
  for (int i = 1; i < 200; ++i) pool.tls_session("host" + std::to_string(i) + ":443");
  CHECK(&pool.tls_session("host0:443") == &first);  // a TLS stream may point at it
}
