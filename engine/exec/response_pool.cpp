#include "engine/exec/response_pool.hpp"

namespace lueng::exec {

PooledResponse* ResponsePool::take() {
  if (free_.empty()) {
    all_.push_back(std::make_unique<PooledResponse>());
    free_.reserve(all_.capacity());
    return all_.back().get();
  }
  PooledResponse* response = free_.back();
  free_.pop_back();
  return response;
}

void ResponsePool::give_back(PooledResponse* response) {
  response->data.clear();
  std::string* sent_body = response->sent ? &response->sent->body : &response->data.body;
  for (std::string* buffer : {&response->data.body, &response->data.header_bytes, sent_body})
    if (buffer->capacity() > kKeptBytes) std::string().swap(*buffer);
  free_.push_back(response);
}

}  // namespace lueng::exec
