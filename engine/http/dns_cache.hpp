#pragma once

#include <cstdint>
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

// How answers are remembered and which address a new connection tries first:
// k6's dns option (lib/types/dns.go, lib/netext/resolver.go), k6's defaults.
struct DnsConfig {
  static constexpr uint64_t kForever = UINT64_MAX;
  // ttl: how long an answer is used; 0: every new connection looks the name up.
  uint64_t ttl_ns = 300'000'000'000;  // 5m
  // select: which address of the answer a new connection goes to (the others
  // follow if it cannot connect): the first, each in turn, or one at random.
  enum class Select { kFirst, kRoundRobin, kRandom } select = Select::kRandom;
  // policy: which addresses of the answer are used. preferIPv4: the IPv4 ones,
  // or the IPv6 ones when there is none (preferIPv6 the other way round);
  // onlyIPv4/onlyIPv6: those only (none: the lookup fails); any: all.
  enum class Policy {
    kPreferIPv4,
    kPreferIPv6,
    kOnlyIPv4,
    kOnlyIPv6,
    kAny
  } policy = Policy::kPreferIPv4;
};

// The addresses of `addresses` that `policy` keeps, in their order.
void apply_dns_policy(AddressList& addresses, DnsConfig::Policy policy);

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

// Host name resolution for one loop, remembered for the config's ttl (a load
// test hits a handful of hosts millions of times, and only a new connection asks).
// Failures are not remembered.
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

  // Before any lookup: the ttl, select and policy (k6's defaults without it).
  void configure(const DnsConfig& config) { config_ = config; }

  // The remembered addresses of `host`, or null (never looked up, or its ttl has
  // passed). IP literals are answered at once. Entries live as long as the cache,
  // so the pointer may be kept; a new answer replaces the addresses in place.
  const AddressList* find(const std::string& host);

  // Where a new connection to `host`, whose answer has `count` addresses (> 0),
  // starts in it: the config's select.
  size_t choose(const std::string& host, size_t count);

  // Answers `host` with `ip` (an IPv4 or IPv6 literal) for the life of the cache
  // (whatever the ttl),
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

  struct Entry {
    AddressList addresses;
    uint64_t expires_ns = DnsConfig::kForever;  // uv_hrtime() from which it is looked up again
    uint32_t next = 0;                          // roundRobin: the next connection's address
  };

  uv_loop_t* loop_;
  LookupFunction lookup_;
  DnsConfig config_;
  uint64_t random_state_;  // select=random: splitmix64
  std::shared_ptr<Mailbox> mailbox_;
  uv_async_t* async_;  // freed by its close callback, after the cache is gone
  std::unordered_map<std::string, Entry> cache_;
  std::unordered_map<std::string, std::unique_ptr<PendingLookup>> pending_;
};

}  // namespace lueng::http
