#include "tools/hotel-mock/connection.hpp"

#include "tools/hotel-mock/json.hpp"
#include "tools/hotel-mock/worker.hpp"

namespace lueng::hotel_mock {

namespace {

// Generous for any real client, small enough that a runaway one cannot exhaust memory.
constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr size_t kMaxBodyBytes = 1024 * 1024;

Connection* from(llhttp_t* parser) {
  return static_cast<Connection*>(parser->data);
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

bool lowercase_equals(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (ascii_lower(text[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace

const llhttp_settings_t& Connection::settings() {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = on_message_begin;
    s.on_url = on_url;
    s.on_header_field = on_header_field;
    s.on_header_value = on_header_value;
    s.on_header_value_complete = on_header_value_complete;
    s.on_headers_complete = on_headers_complete;
    s.on_body = on_body;
    s.on_message_complete = on_message_complete;
    return s;
  }();
  return settings;
}

Connection::Connection(Worker& worker) : worker_(worker) {
  llhttp_init(&parser_, HTTP_REQUEST, &settings());
  parser_.data = this;
}

void Connection::accept(Worker& worker, uv_stream_t* server) {
  auto* connection = new Connection(worker);
  uv_tcp_init(worker.loop(), &connection->tcp_);
  uv_timer_init(worker.loop(), &connection->timer_);
  connection->tcp_.data = connection;
  connection->timer_.data = connection;
  connection->open_handles_ = 2;
  worker.add(connection);
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
  llhttp_errno_t err = llhttp_execute(&parser_, data, length);
  if (err == HPE_OK) {
    start_reading();
    return;
  }
  if (err == HPE_PAUSED) {
    // Paused right after a complete request; whatever follows is the next one.
    const char* stop = llhttp_get_error_pos(&parser_);
    size_t consumed = stop ? static_cast<size_t>(stop - data) : length;
    pending_.assign(data + consumed, length - consumed);
    stop_reading();
    dispatch();
    return;
  }
  stop_reading();
  if (refused_status_ == 413) {
    reject(413, "request body too large");
  } else if (refused_status_ == 431) {
    reject(431, "request head too large");
  } else {
    reject(400, std::string("malformed HTTP request: ") + llhttp_errno_name(err));
  }
}

void Connection::dispatch() {
  keep_alive_ = request_.keep_alive;
  reply_ = worker_.service().handle(request_, worker_.rng());
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
  worker_.service().finished(reply, uv_hrtime() - request_.start_ns);
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
  llhttp_resume(&parser_);
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

int Connection::refuse(int status, const char* reason) {
  refused_status_ = status;
  llhttp_set_error_reason(&parser_, reason);
  return HPE_USER;
}

int Connection::on_message_begin(llhttp_t* parser) {
  Connection* self = from(parser);
  self->request_ = Request{};
  self->request_.start_ns = uv_hrtime();
  self->head_bytes_ = 0;
  self->header_field_.clear();
  self->header_value_.clear();
  return 0;
}

int Connection::on_url(llhttp_t* parser, const char* at, size_t length) {
  Connection* self = from(parser);
  self->head_bytes_ += length;
  if (self->head_bytes_ > kMaxHeadBytes) return self->refuse(431, "head too large");
  self->request_.target.append(at, length);
  return 0;
}

int Connection::on_header_field(llhttp_t* parser, const char* at, size_t length) {
  Connection* self = from(parser);
  self->head_bytes_ += length;
  if (self->head_bytes_ > kMaxHeadBytes) return self->refuse(431, "head too large");
  for (size_t i = 0; i < length; ++i) self->header_field_.push_back(ascii_lower(at[i]));
  return 0;
}

int Connection::on_header_value(llhttp_t* parser, const char* at, size_t length) {
  Connection* self = from(parser);
  self->head_bytes_ += length;
  if (self->head_bytes_ > kMaxHeadBytes) return self->refuse(431, "head too large");
  self->header_value_.append(at, length);
  return 0;
}

int Connection::on_header_value_complete(llhttp_t* parser) {
  Connection* self = from(parser);
  self->request_.headers.emplace_back(std::move(self->header_field_),
                                      std::move(self->header_value_));
  self->header_field_.clear();
  self->header_value_.clear();
  return 0;
}

int Connection::on_headers_complete(llhttp_t* parser) {
  Connection* self = from(parser);
  self->request_.method =
      llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(parser)));
  if (parser->content_length > kMaxBodyBytes && (parser->flags & F_CONTENT_LENGTH))
    return self->refuse(413, "body too large");
  const std::string* expect = self->request_.header("expect");
  if (expect && lowercase_equals(*expect, "100-continue")) {
    // curl and others hold a larger body back for a second unless told to go on.
    // Best effort: if the socket cannot take these bytes now, the client sends
    // the body after its own timeout anyway.
    static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    uv_buf_t buf = uv_buf_init(const_cast<char*>(kContinue), sizeof(kContinue) - 1);
    uv_try_write(reinterpret_cast<uv_stream_t*>(&self->tcp_), &buf, 1);
  }
  return 0;
}

int Connection::on_body(llhttp_t* parser, const char* at, size_t length) {
  Connection* self = from(parser);
  if (self->request_.body.size() + length > kMaxBodyBytes)
    return self->refuse(413, "body too large");
  self->request_.body.append(at, length);
  return 0;
}

int Connection::on_message_complete(llhttp_t* parser) {
  Connection* self = from(parser);
  self->request_.keep_alive = llhttp_should_keep_alive(parser) != 0;
  return HPE_PAUSED;
}

}  // namespace lueng::hotel_mock
