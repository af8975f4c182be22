#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <uv.h>

namespace lueng::http {

// The addresses a host name resolved to, in the resolver's order of preference,
// ports unset.
using AddressList = std::vector<sockaddr_storage>;

struct PendingLookup;

// Someone waiting for a lookup. The links are intrusive so that waiting and
// cancelling never allocate.
class DnsWaiter {
 public:
  // status is 0 with the addresses, or a libuv getaddrinfo error (UV_EAI_*) with null.
  virtual void on_resolved(int status, const AddressList* addresses) = 0;

 protected:
  ~DnsWaiter() = default;

 private:
  friend class DnsCache;
  PendingLookup* lookup_ = nullptr;
  DnsWaiter* previous_ = nullptr;
  DnsWaiter* next_ = nullptr;
};

// Host name resolution for one loop, remembered for the whole run: a load test
// hits a handful of hosts millions of times. Failures are not remembered.
class DnsCache {
 public:
  explicit DnsCache(uv_loop_t* loop);
  ~DnsCache();  // lookups still running are cancelled; their waiters are not called
  DnsCache(const DnsCache&) = delete;
  DnsCache& operator=(const DnsCache&) = delete;

  // The remembered addresses of `host`, or null. IP literals are answered at once.
  // Entries live as long as the cache, so the pointer may be kept.
  const AddressList* find(const std::string& host);

  // Starts a lookup, or joins the one already running for `host`. The waiter is
  // called once, later, unless cancelled. Returns 0 or a libuv error (then the
  // waiter is not called).
  int resolve(const std::string& host, DnsWaiter& waiter);

  // Stops waiting; the lookup itself goes on and its answer is still remembered.
  void cancel(DnsWaiter& waiter);

 private:
  static void on_getaddrinfo(uv_getaddrinfo_t* request, int status, addrinfo* result);
  static void unlink(DnsWaiter& waiter);

  uv_loop_t* loop_;
  std::unordered_map<std::string, AddressList> cache_;
  std::unordered_map<std::string, PendingLookup*> pending_;
};

}  // namespace lueng::http
