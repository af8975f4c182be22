#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <uv.h>

namespace lueng::http {

// The addresses a host name resolved to, in the resolver's order of preference,
// ports unset.
using AddressList = std::vector<sockaddr_storage>;

// A blocking name lookup: 0 with `addresses` filled, or a libuv getaddrinfo
// error (UV_EAI_*). Runs on a resolver thread.
using LookupFunction = int (*)(const std::string& host, AddressList& addresses);

// The system's resolver: getaddrinfo(3), IPv4 and IPv6 stream addresses.
int system_lookup(const std::string& host, AddressList& addresses);

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
//
// Lookups run on detached resolver threads of the process, not on libuv's
// threadpool: getaddrinfo cannot be interrupted, and a lookup the threadpool runs
// keeps its loop running (and the process's exit waiting) until the resolver
// gives up, which for a name server that never answers is many seconds. Here a
// lookup nobody waits for any more holds nothing: the loop may end and the cache
// go, and its answer, whenever it comes, is dropped.
class DnsCache {
 public:
  explicit DnsCache(uv_loop_t* loop, LookupFunction lookup = system_lookup);
  ~DnsCache();  // lookups still running are forgotten; their waiters are not called
  DnsCache(const DnsCache&) = delete;
  DnsCache& operator=(const DnsCache&) = delete;

  // The remembered addresses of `host`, or null. IP literals are answered at once.
  // Entries live as long as the cache, so the pointer may be kept.
  const AddressList* find(const std::string& host);

  // Answers `host` with `ip` (an IPv4 or IPv6 literal) for the life of the cache,
  // without a lookup: k6's `hosts` option. False when `ip` is not an IP literal.
  bool pin(const std::string& host, const std::string& ip);

  // Starts a lookup, or joins the one already running for `host`. The waiter is
  // called once, later, unless cancelled. Returns 0 or a libuv error (then the
  // waiter is not called).
  int resolve(const std::string& host, DnsWaiter& waiter);

  // Stops waiting. The lookup goes on, and its answer is remembered if it comes
  // while the cache exists, but it no longer keeps the loop running.
  void cancel(DnsWaiter& waiter);

  // Lookups started and not answered yet, waited for or not.
  size_t pending() const { return pending_.size(); }

  struct Mailbox;  // where resolver threads leave answers (dns_cache.cpp)

 private:
  static void on_answers(uv_async_t* async);
  static void unlink(DnsWaiter& waiter);
  void answer(const std::string& host, int status, AddressList& addresses);
  // The loop runs on for the lookups someone waits for, and for those only.
  void keep_loop_alive();

  uv_loop_t* loop_;
  LookupFunction lookup_;
  std::shared_ptr<Mailbox> mailbox_;
  uv_async_t* async_;  // freed by its close callback, after the cache is gone
  std::unordered_map<std::string, AddressList> cache_;
  std::unordered_map<std::string, std::unique_ptr<PendingLookup>> pending_;
};

}  // namespace lueng::http
