#include "engine/http/dns_cache.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include <netdb.h>

namespace lueng::http {

// A lookup in flight, shared by everyone asking for the same host.
struct PendingLookup {
  DnsWaiter* first = nullptr;
};

struct DnsCache::Mailbox {
  struct Answer {
    std::string host;
    int status = 0;
    AddressList addresses;
  };
  std::mutex mutex;
  uv_async_t* async = nullptr;  // null once the cache is gone: answers are dropped
  std::vector<Answer> answers;
};

namespace {

// As many lookups of different names at once as libuv's threadpool runs.
constexpr int kResolverThreads = 4;

struct Job {
  std::shared_ptr<DnsCache::Mailbox> mailbox;
  std::string host;
  LookupFunction lookup;
};

void run(Job& job) {
  {
    std::lock_guard lock(job.mailbox->mutex);
    if (!job.mailbox->async) return;  // its cache is gone: nobody wants the answer
  }
  AddressList addresses;
  int status = job.lookup(job.host, addresses);
  std::lock_guard lock(job.mailbox->mutex);
  if (!job.mailbox->async) return;
  job.mailbox->answers.push_back({std::move(job.host), status, std::move(addresses)});
  uv_async_send(job.mailbox->async);
}

// The process's resolver threads, started as lookups come and never joined: one
// stuck in getaddrinfo must not hold up the end of a run or of the process. The
// pool is never destroyed either, so that exit() frees nothing they still use.
class ResolverPool {
 public:
  static ResolverPool& instance() {
    static ResolverPool* pool = new ResolverPool;
    return *pool;
  }

  // False when no thread could be started to run the job.
  bool submit(Job job) {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
    if (idle_ > 0 || threads_ >= kResolverThreads) {
      ready_.notify_one();
      return true;
    }
    try {
      std::thread([this] { work(); }).detach();
      ++threads_;
    } catch (const std::system_error&) {
      if (threads_ == 0) {
        jobs_.pop_back();
        return false;
      }
    }
    return true;
  }

 private:
  void work() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        ++idle_;
        ready_.wait(lock, [this] { return !jobs_.empty(); });
        --idle_;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      run(job);
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> jobs_;
  int threads_ = 0;
  int idle_ = 0;  // threads waiting for a job
};

bool parse_ip_literal(const std::string& host, sockaddr_storage* address) {
  std::memset(address, 0, sizeof(*address));
  return uv_ip4_addr(host.c_str(), 0, reinterpret_cast<sockaddr_in*>(address)) == 0 ||
         uv_ip6_addr(host.c_str(), 0, reinterpret_cast<sockaddr_in6*>(address)) == 0;
}

}  // namespace

int system_lookup(const std::string& host, AddressList& addresses) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  if (int error = getaddrinfo(host.c_str(), nullptr, &hints, &result); error != 0) {
    // libuv's codes, as uv_getaddrinfo reports them.
    switch (error) {
      case EAI_NONAME:
        return UV_EAI_NONAME;
#ifdef EAI_NODATA
      case EAI_NODATA:
        return UV_EAI_NODATA;
#endif
      case EAI_AGAIN:
        return UV_EAI_AGAIN;
      case EAI_FAIL:
        return UV_EAI_FAIL;
      case EAI_MEMORY:
        return UV_EAI_MEMORY;
      case EAI_FAMILY:
        return UV_EAI_FAMILY;
      case EAI_SERVICE:
        return UV_EAI_SERVICE;
      case EAI_SOCKTYPE:
        return UV_EAI_SOCKTYPE;
#ifdef EAI_ADDRFAMILY
      case EAI_ADDRFAMILY:
        return UV_EAI_ADDRFAMILY;
#endif
      default:
        return UV_EAI_FAIL;
    }
  }
  for (addrinfo* entry = result; entry; entry = entry->ai_next) {
    if (entry->ai_family != AF_INET && entry->ai_family != AF_INET6) continue;
    sockaddr_storage address{};
    std::memcpy(&address, entry->ai_addr, entry->ai_addrlen);
    addresses.push_back(address);
  }
  freeaddrinfo(result);
  return addresses.empty() ? UV_EAI_NODATA : 0;
}

void apply_dns_policy(AddressList& addresses, DnsConfig::Policy policy) {
  using Policy = DnsConfig::Policy;
  if (policy == Policy::kAny) return;
  auto is_v4 = [](const sockaddr_storage& address) { return address.ss_family == AF_INET; };
  bool has_v4 = std::any_of(addresses.begin(), addresses.end(), is_v4);
  bool has_v6 = std::any_of(addresses.begin(), addresses.end(),
                            [&](const sockaddr_storage& address) { return !is_v4(address); });
  bool keep_v4 = policy == Policy::kOnlyIPv4 || (policy == Policy::kPreferIPv4 && has_v4) ||
                 (policy == Policy::kPreferIPv6 && !has_v6);
  std::erase_if(addresses,
                [&](const sockaddr_storage& address) { return is_v4(address) != keep_v4; });
}

DnsCache::DnsCache(uv_loop_t* loop, LookupFunction lookup)
    : loop_(loop),
      lookup_(lookup),
      random_state_(uv_hrtime() ^ reinterpret_cast<uintptr_t>(this)),
      mailbox_(std::make_shared<Mailbox>()),
      async_(new uv_async_t) {
  uv_async_init(loop_, async_, on_answers);
  async_->data = this;
  uv_unref(reinterpret_cast<uv_handle_t*>(async_));
  mailbox_->async = async_;
}

DnsCache::~DnsCache() {
  for (auto& [host, lookup] : pending_) {
    for (DnsWaiter* waiter = lookup->first; waiter; waiter = waiter->next_) {
      waiter->lookup_ = nullptr;
    }
  }
  {
    std::lock_guard lock(mailbox_->mutex);
    mailbox_->async = nullptr;  // no thread touches the handle from now on
  }
  uv_close(reinterpret_cast<uv_handle_t*>(async_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
}

const AddressList* DnsCache::find(const std::string& host) {
  auto found = cache_.find(host);
  if (found != cache_.end()) {
    const Entry& entry = found->second;
    // Read the clock only for answers that can go out of date.
    if (entry.expires_ns != DnsConfig::kForever && uv_hrtime() >= entry.expires_ns) return nullptr;
    return &entry.addresses;
  }
  sockaddr_storage address;
  if (!parse_ip_literal(host, &address)) return nullptr;
  return &cache_.emplace(host, Entry{AddressList{address}}).first->second.addresses;
}

size_t DnsCache::choose(const std::string& host, size_t count) {
  switch (config_.select) {
    case DnsConfig::Select::kFirst:
      return 0;
    case DnsConfig::Select::kRoundRobin: {
      auto found = cache_.find(host);
      return found == cache_.end() ? 0 : found->second.next++ % count;
    }
    case DnsConfig::Select::kRandom: {
      uint64_t z = (random_state_ += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return (z ^ (z >> 31)) % count;
    }
  }
  return 0;
}

bool DnsCache::pin(const std::string& host, const std::string& ip) {
  sockaddr_storage address;
  if (!parse_ip_literal(ip, &address)) return false;
  cache_[host] = Entry{AddressList{address}};
  return true;
}

int DnsCache::resolve(const std::string& host, DnsWaiter& waiter) {
  auto found = pending_.find(host);
  if (found == pending_.end()) {
    if (!ResolverPool::instance().submit({mailbox_, host, lookup_})) return UV_EAI_AGAIN;
    found = pending_.emplace(host, std::make_unique<PendingLookup>()).first;
  }
  PendingLookup* lookup = found->second.get();
  waiter.lookup_ = lookup;
  waiter.previous_ = nullptr;
  waiter.next_ = lookup->first;
  if (lookup->first) lookup->first->previous_ = &waiter;
  lookup->first = &waiter;
  keep_loop_alive();
  return 0;
}

void DnsCache::cancel(DnsWaiter& waiter) {
  unlink(waiter);
  keep_loop_alive();
}

void DnsCache::keep_loop_alive() {
  bool waited = std::any_of(pending_.begin(), pending_.end(),
                            [](const auto& entry) { return entry.second->first != nullptr; });
  auto* handle = reinterpret_cast<uv_handle_t*>(async_);
  if (waited) {
    uv_ref(handle);
  } else {
    uv_unref(handle);
  }
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

void DnsCache::on_answers(uv_async_t* async) {
  auto* cache = static_cast<DnsCache*>(async->data);
  std::vector<Mailbox::Answer> answers;
  {
    std::lock_guard lock(cache->mailbox_->mutex);
    answers.swap(cache->mailbox_->answers);
  }
  for (Mailbox::Answer& answer : answers)
    cache->answer(answer.host, answer.status, answer.addresses);
}

void DnsCache::answer(const std::string& host, int status, AddressList& addresses) {
  auto found = pending_.find(host);
  if (found == pending_.end()) return;
  std::unique_ptr<PendingLookup> lookup = std::move(found->second);
  pending_.erase(found);
  const AddressList* remembered = nullptr;
  if (status == 0) {
    apply_dns_policy(addresses, config_.policy);
    if (addresses.empty()) status = UV_EAI_NODATA;  // onlyIPv4/onlyIPv6 left none
  }
  if (status == 0) {
    Entry& entry = cache_[host];
    entry.addresses = std::move(addresses);
    uint64_t ttl = config_.ttl_ns;
    entry.expires_ns = ttl == DnsConfig::kForever ? ttl : uv_hrtime() + ttl;
    remembered = &entry.addresses;
  }
  keep_loop_alive();
  // One waiter at a time, unlinked before it is called: its callback may cancel or
  // destroy other waiters of this lookup, start other lookups, or end the loop.
  while (DnsWaiter* waiter = lookup->first) {
    unlink(*waiter);
    waiter->on_resolved(status, remembered);
  }
}

}  // namespace lueng::http
