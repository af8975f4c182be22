#include "tools/hotel-mock/connection.hpp"

#include "tools/hotel-mock/json.hpp"
#include "tools/hotel-mock/worker.hpp"

namespace lueng::hotel_mock {

Connection::Connection(Worker& worker) : worker_(worker) {}

void Connection::accept(Worker& worker, uv_stream_t* server) {
  auto* connection = new Connection(worker);
  uv_tcp_init(worker.loop(), &connection->tcp_);
  uv_timer_init(worker.loop(), &connection->timer_);
  connection->tcp_.data = connection;
  connection->timer_.data = connection;
  connection->open_handles_ = 2;
  worker.add(connection);
  worker.service().connection_opened();
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&connection->tcp_)) != 0) {
    connection->close();
    return;
  }
  // Responses go out in one write; waiting for an ACK (Nagle) would only add delay.
  uv_tcp_nodelay(&connection->tcp_, 1);
  connection->start_reading();
}

void Connection::close() {
  if (closing_) return;
  closing_ = true;
  if (reply_) {
    worker_.service().abandoned(*reply_);
    reply_.reset();
  }
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), on_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_closed);
}

void Connection::on_closed(uv_handle_t* handle) {
  auto* self = static_cast<Connection*>(handle->data);
  if (--self->open_handles_ > 0) return;
  self->worker_.remove(self);
  self->worker_.service().connection_closed();
  delete self;
}

void Connection::start_reading() {
  if (reading_ || closing_) return;
  reading_ = uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), on_alloc, on_read) == 0;
  if (!reading_) close();
}

void Connection::stop_reading() {
  if (!reading_) return;
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
  reading_ = false;
}

void Connection::on_alloc(uv_handle_t* handle, size_t, uv_buf_t* buf) {
  auto* self = static_cast<Connection*>(handle->data);
  *buf = uv_buf_init(self->worker_.read_buffer(), Worker::kReadBufferSize);
}

void Connection::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<Connection*>(stream->data);
  if (nread < 0) {
    // EOF or a reset: nothing is being answered (reading pauses meanwhile), so
    // there is nothing left to do but close.
    self->close();
    return;
  }
  if (nread > 0) self->feed(buf->base, static_cast<size_t>(nread));
}

void Connection::feed(const char* data, size_t length) {
  size_t consumed = 0;
  RequestParser::Result result = parser_.feed(data, length, &consumed);
  if (result != RequestParser::Result::kError && parser_.take_continue()) send_continue();
  if (result == RequestParser::Result::kNeedMore) {
    start_reading();
    return;
  }
  stop_reading();
  if (result == RequestParser::Result::kRequest) {
    // Whatever follows the request is the next one, parsed once this one is answered.
    pending_.assign(data + consumed, length - consumed);
    dispatch();
    return;
  }
  reject(parser_.error_status(), parser_.error_message());
}

void Connection::send_continue() {
  // curl and others hold a larger body back for a second unless told to go on.
  // Best effort: if the socket cannot take these bytes now, the client sends
  // the body after its own timeout anyway.
  static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
  uv_buf_t buf = uv_buf_init(const_cast<char*>(kContinue), sizeof(kContinue) - 1);
  uv_try_write(reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1);
}

void Connection::dispatch() {
  Request& request = parser_.request();
  keep_alive_ = request.keep_alive;
  reply_ = worker_.service().handle(request, worker_.rng());
  if (reply_->delay_ms > 0) {
    // The delay runs on the loop's timer, never blocking other connections.
    uv_timer_start(&timer_, on_timer, reply_->delay_ms, 0);
  } else {
    send_reply();
  }
}

void Connection::on_timer(uv_timer_t* timer) {
  static_cast<Connection*>(timer->data)->send_reply();
}

void Connection::send_reply() {
  if (!reply_) return;
  Reply reply = std::move(*reply_);
  reply_.reset();
  // Accounted before the write: a client that reads /metrics right after this
  // response (maybe via another worker) must already see it counted.
  worker_.service().finished(reply, uv_hrtime() - parser_.request().start_ns);
  write_response(reply.response);
}

void Connection::write_response(const Response& response) {
  serialize(response, keep_alive_, out_);
  uv_buf_t buf = uv_buf_init(out_.data(), static_cast<unsigned int>(out_.size()));
  write_req_.data = this;
  if (uv_write(&write_req_, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1, on_write) != 0) close();
}

void Connection::on_write(uv_write_t* req, int status) {
  static_cast<Connection*>(req->data)->written(status);
}

void Connection::written(int status) {
  if (closing_) return;
  if (status < 0 || !keep_alive_) {
    close();
    return;
  }
  parser_.resume();
  if (pending_.empty()) {
    start_reading();
    return;
  }
  // feed() may refill pending_ with what follows the next request.
  std::string data = std::move(pending_);
  pending_.clear();
  feed(data.data(), data.size());
}

void Connection::reject(int status, std::string_view message) {
  // The byte stream cannot be trusted past a malformed request, so the connection
  // ends after this answer.
  keep_alive_ = false;
  write_response(error_response(status, message));
}

}  // namespace lueng::hotel_mock
