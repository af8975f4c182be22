#include "engine/http/dns_cache.hpp"

#include <cstring>
#include <memory>

namespace lueng::http {

// One getaddrinfo in flight, shared by everyone asking for the same host. It owns
// itself: the threadpool request must stay allocated until its callback, even when
// the cache is gone by then.
struct PendingLookup {
  uv_getaddrinfo_t request;
  DnsCache* cache;
  std::string host;
  DnsWaiter* first = nullptr;
};

namespace {

bool parse_ip_literal(const std::string& host, sockaddr_storage* address) {
  std::memset(address, 0, sizeof(*address));
  return uv_ip4_addr(host.c_str(), 0, reinterpret_cast<sockaddr_in*>(address)) == 0 ||
         uv_ip6_addr(host.c_str(), 0, reinterpret_cast<sockaddr_in6*>(address)) == 0;
}

}  // namespace

DnsCache::DnsCache(uv_loop_t* loop) : loop_(loop) {}

DnsCache::~DnsCache() {
  for (auto& [host, lookup] : pending_) {
    for (DnsWaiter* waiter = lookup->first; waiter; waiter = waiter->next_) {
      waiter->lookup_ = nullptr;
    }
    lookup->first = nullptr;
    lookup->cache = nullptr;  // tells the callback to only free the lookup
    uv_cancel(reinterpret_cast<uv_req_t*>(&lookup->request));
  }
}

const AddressList* DnsCache::find(const std::string& host) {
  auto found = cache_.find(host);
  if (found != cache_.end()) return &found->second;
  sockaddr_storage address;
  if (!parse_ip_literal(host, &address)) return nullptr;
  return &cache_.emplace(host, AddressList{address}).first->second;
}

int DnsCache::resolve(const std::string& host, DnsWaiter& waiter) {
  PendingLookup* lookup;
  auto found = pending_.find(host);
  if (found != pending_.end()) {
    lookup = found->second;
  } else {
    auto created = std::make_unique<PendingLookup>();
    created->cache = this;
    created->host = host;
    created->request.data = created.get();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int status =
        uv_getaddrinfo(loop_, &created->request, on_getaddrinfo, host.c_str(), nullptr, &hints);
    if (status < 0) return status;
    lookup = created.release();
    pending_.emplace(host, lookup);
  }
  waiter.lookup_ = lookup;
  waiter.previous_ = nullptr;
  waiter.next_ = lookup->first;
  if (lookup->first) lookup->first->previous_ = &waiter;
  lookup->first = &waiter;
  return 0;
}

void DnsCache::cancel(DnsWaiter& waiter) {
  unlink(waiter);
}

void DnsCache::unlink(DnsWaiter& waiter) {
  PendingLookup* lookup = waiter.lookup_;
  if (!lookup) return;
  if (waiter.previous_) {
    waiter.previous_->next_ = waiter.next_;
  } else {
    lookup->first = waiter.next_;
  }
  if (waiter.next_) waiter.next_->previous_ = waiter.previous_;
  waiter.lookup_ = nullptr;
  waiter.previous_ = nullptr;
  waiter.next_ = nullptr;
}

void DnsCache::on_getaddrinfo(uv_getaddrinfo_t* request, int status, addrinfo* result) {
  std::unique_ptr<PendingLookup> lookup(static_cast<PendingLookup*>(request->data));
  DnsCache* cache = lookup->cache;
  const AddressList* addresses = nullptr;
  if (cache) {
    cache->pending_.erase(lookup->host);
    if (status == 0) {
      AddressList list;
      for (addrinfo* entry = result; entry; entry = entry->ai_next) {
        if (entry->ai_family != AF_INET && entry->ai_family != AF_INET6) continue;
        sockaddr_storage address{};
        std::memcpy(&address, entry->ai_addr, entry->ai_addrlen);
        list.push_back(address);
      }
      if (list.empty()) {
        status = UV_EAI_NODATA;
      } else {
        addresses = &(cache->cache_[lookup->host] = std::move(list));
      }
    }
  }
  uv_freeaddrinfo(result);

  // One waiter at a time, unlinked before it is called: its callback may cancel or
  // destroy other waiters of this lookup.
  while (DnsWaiter* waiter = lookup->first) {
    unlink(*waiter);
    waiter->on_resolved(status, addresses);
  }
}

}  // namespace lueng::http
