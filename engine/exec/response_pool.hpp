#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/http/response.hpp"

namespace lueng::exec {

// A response handed to Lua: the wire data plus what the script asked for.
struct PooledResponse {
  http::ResponseData data;
  std::string url;
  std::string method;
};

// Responses are recycled when Lua collects their userdata, so a VU that sends
// request after request reuses the same buffers instead of allocating new ones.
class ResponsePool {
 public:
  PooledResponse* take();
  void give_back(PooledResponse* response);
  size_t allocated() const { return all_.size(); }

 private:
  std::vector<std::unique_ptr<PooledResponse>> all_;
  std::vector<PooledResponse*> free_;
};

}  // namespace lueng::exec
