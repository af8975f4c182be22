#pragma once

#include <span>

#include "engine/http/stream.hpp"

namespace lueng::http {

// A plain TCP stream (TCP_NODELAY) reading into `read_buffer`, which may be shared
// by all streams of the loop: libuv hands a buffer out and delivers the bytes in
// one uninterrupted step, and handlers consume them before returning.
StreamPtr make_tcp_stream(uv_loop_t* loop, std::span<char> read_buffer, StreamHandler& handler);

}  // namespace lueng::http
