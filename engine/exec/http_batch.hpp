#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/exec/http_call.hpp"
#include "engine/exec/http_flight.hpp"

namespace lueng::exec {

class ResponsePool;
class Vu;
struct PooledResponse;

// The requests of one http.batch() call, run in parallel for one VU: at most
// `parallel` at a time, at most `per_host` of them to one host:port, started in
// the order given whenever a slot frees up. Each parallel slot is a flight with an
// Exchange of its own on the VU's Session (slot 0 is the VU's own flight), so the
// requests share the VU's connection pool: connections opened by a batch serve the
// VU's later requests too and stay open for the next batch.
class HttpBatch final : private HttpFlight::Listener {
 public:
  class Listener {
   public:
    virtual void on_batch_done() = 0;  // every response is in; from a loop callback

   protected:
    ~Listener() = default;
  };

  HttpBatch(Vu& vu, HttpFlight& first_slot);
  ~HttpBatch();
  HttpBatch(const HttpBatch&) = delete;
  HttpBatch& operator=(const HttpBatch&) = delete;

  // The storage for request `index` of the next batch (kept for reuse).
  HttpCall& entry(size_t index);
  // Runs entries 0..count-1 (count > 0).
  void start(size_t count, int64_t parallel, int64_t per_host, Listener& listener);
  // Drops every request in flight and every slot's connections; responses not
  // taken go back to the pool.
  void abandon();
  // After on_batch_done: the response of entry `index`, now owned by the caller.
  PooledResponse* take(size_t index);
  // After on_batch_done and before take(index): the response of entry `index`.
  const PooledResponse& response(size_t index) const { return *responses_[index]; }
  size_t size() const { return count_; }

 private:
  void pump();
  bool host_has_room(const HttpCall& call) const;
  void on_flight_done(HttpFlight& flight) override;

  Vu& vu_;
  std::vector<HttpFlight*> slots_;                      // slot 0 is the VU's flight
  std::vector<std::unique_ptr<HttpFlight>> own_slots_;  // the others
  std::vector<size_t> slot_entry_;                      // entry each busy slot carries
  std::vector<std::unique_ptr<HttpCall>> entries_;
  std::vector<PooledResponse*> responses_;
  std::vector<bool> started_;
  Listener* listener_ = nullptr;
  size_t count_ = 0;
  size_t first_unstarted_ = 0;
  size_t in_flight_ = 0;
  size_t done_ = 0;
  size_t parallel_ = 1;
  size_t per_host_ = 0;
};

}  // namespace lueng::exec
