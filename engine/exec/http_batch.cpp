#include "engine/exec/http_batch.hpp"

#include <algorithm>

#include "engine/exec/response_pool.hpp"
#include "engine/exec/vu.hpp"
#include "engine/exec/worker.hpp"

namespace lueng::exec {

HttpBatch::HttpBatch(Vu& vu, HttpFlight& first_slot) : vu_(vu) {
  slots_.push_back(&first_slot);
  slot_entry_.push_back(0);
}

HttpBatch::~HttpBatch() {
  abandon();
}

HttpCall& HttpBatch::entry(size_t index) {
  while (entries_.size() <= index) entries_.push_back(std::make_unique<HttpCall>());
  return *entries_[index];
}

void HttpBatch::start(size_t count, int64_t parallel, int64_t per_host, Listener& listener) {
  listener_ = &listener;
  count_ = count;
  first_unstarted_ = 0;
  in_flight_ = 0;
  done_ = 0;
  parallel_ = static_cast<size_t>(std::max<int64_t>(1, parallel));
  per_host_ = static_cast<size_t>(std::max<int64_t>(0, per_host));
  responses_.assign(count, nullptr);
  started_.assign(count, false);
  pump();
}

bool HttpBatch::host_has_room(const HttpCall& call) const {
  if (per_host_ == 0) return true;
  size_t same = 0;
  for (size_t slot = 0; slot < slots_.size(); ++slot) {
    if (!slots_[slot]->busy()) continue;
    const http::Url& other = entries_[slot_entry_[slot]]->url;
    if (other.host == call.url.host && other.port == call.url.port) ++same;
  }
  return same < per_host_;
}

void HttpBatch::pump() {
  for (size_t index = first_unstarted_; index < count_ && in_flight_ < parallel_; ++index) {
    if (started_[index]) continue;
    HttpCall& call = *entries_[index];
    if (!host_has_room(call)) continue;  // a later request to another host may go first
    size_t slot = 0;
    while (slot < slots_.size() && slots_[slot]->busy()) ++slot;
    if (slot == slots_.size()) {
      own_slots_.push_back(
          std::make_unique<HttpFlight>(vu_, slots_[0]->vu_jar(), slots_[0]->session()));
      slots_.push_back(own_slots_.back().get());
      slot_entry_.push_back(0);
    }
    started_[index] = true;
    ++in_flight_;
    slot_entry_[slot] = index;
    responses_[index] = vu_.worker().responses().take();
    slots_[slot]->start(call, *responses_[index], *this);
  }
  while (first_unstarted_ < count_ && started_[first_unstarted_]) ++first_unstarted_;
}

void HttpBatch::on_flight_done(HttpFlight&) {
  --in_flight_;
  ++done_;
  if (done_ == count_) {
    Listener* listener = listener_;
    listener_ = nullptr;
    listener->on_batch_done();  // last statement: the VU resumes its script here
    return;
  }
  pump();
}

void HttpBatch::abandon() {
  for (HttpFlight* slot : slots_) slot->abandon();
  for (PooledResponse*& response : responses_) {
    if (response) vu_.worker().responses().give_back(response);
    response = nullptr;
  }
  listener_ = nullptr;
  count_ = 0;
}

PooledResponse* HttpBatch::take(size_t index) {
  PooledResponse* response = responses_[index];
  responses_[index] = nullptr;
  return response;
}

}  // namespace lueng::exec
