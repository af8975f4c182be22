#include "engine/http/http1_connection.hpp"

#include "engine/http/ascii.hpp"
#include "engine/http/net_error.hpp"
#include "engine/http/request_writer.hpp"
#include "engine/http/timer.hpp"
#include "engine/http/tls_error.hpp"

namespace lueng::http {

namespace {

// The script asked the server to close after this request: the connection must
// not be reused even if the server answers with keep-alive.
bool asks_to_close(const Request& request) {
  for (const Header& header : request.headers) {
    if (ascii_iequals(header.name, "Connection") && ascii_iequals(header.value, "close"))
      return true;
  }
  return false;
}

}  // namespace

Http1Connection::Http1Connection(StreamPtr stream, const sockaddr* remote, IdleListener& idle)
    : idle_(idle), remote_(remote), stream_(std::move(stream)) {
  stream_->set_handler(*this);
}

void Http1Connection::send(const Request& request, std::string_view user_agent, ResponseData& out,
                           ConnectionListener& listener) {
  listener_ = &listener;
  out_ = &out;
  reader_.start(out, request.method == "HEAD", request.discard_body, request.max_body_bytes);
  write_request(request_buffer_, request, user_agent);
  close_after_response_ = request.close_connection || asks_to_close(request);
  if (const TlsInfo* tls = stream_->tls()) {
    out.tls_version = tls->version;
    out.tls_cipher_suite = tls->cipher_suite;
    out.tls_session_reused = tls->session_reused;
  }
  state_ = State::kBusy;
  written_ = false;
  response_started_ = false;
  stream_->set_referenced(true);  // a request in flight keeps the loop running
  write_start_ns_ = uv_hrtime();
  int status = stream_->write(request_buffer_);
  if (status == Stream::kWriteComplete) {
    request_written();
  } else if (status < 0) {
    fail_io("write", status);
  }
}

// The stream came connected; a second connect event cannot happen.
void Http1Connection::on_connect(int) {}

void Http1Connection::on_write(int status) {
  if (state_ != State::kBusy || written_) return;
  if (status < 0) {
    fail_io("write", status);
  } else {
    request_written();
  }
}

void Http1Connection::request_written() {
  written_ = true;
  write_end_ns_ = uv_hrtime();
  out_->bytes_sent += request_buffer_.size();
  out_->timings.sending = milliseconds_between(write_start_ns_, write_end_ns_);
}

void Http1Connection::on_read(const char* data, size_t length) {
  if (state_ == State::kIdle) {
    // Nothing was asked: a server talking now is out of step (or sending a 408
    // before closing). Either way the connection cannot be trusted any more.
    idle_closed();
    return;
  }
  if (state_ != State::kBusy) return;
  // A response whose first and last bytes come in one read arrived at one time:
  // one clock read for both (its receiving time is 0).
  uint64_t read_ns = 0;
  if (!response_started_) {
    response_started_ = true;
    first_byte_ns_ = read_ns = uv_hrtime();
  }
  out_->bytes_received += length;
  switch (reader_.feed(data, length)) {
    case ResponseReader::Result::kNeedMore:
      return;
    case ResponseReader::Result::kComplete:
      complete(read_ns != 0 ? read_ns : uv_hrtime());
      return;
    case ResponseReader::Result::kError:
      fail(false);
      return;
  }
}

void Http1Connection::on_read_end(int status) {
  if (state_ == State::kIdle) {
    idle_closed();
    return;
  }
  if (state_ != State::kBusy) return;
  if (status == UV_EOF) {
    if (response_started_ && reader_.finish()) {
      complete(uv_hrtime());
      return;
    }
    set_error(*out_, ErrorCode::kUnexpectedEof, response_started_ ? "unexpected EOF" : "EOF");
    // An idle connection the server closed just as we reused it: the request never
    // reached a live server, so repeating it is safe.
    fail(responses_ > 0 && !response_started_);
    return;
  }
  if (status == Stream::kTlsFailed) {
    set_tls_read_error(*out_, remote(), *stream_->tls());
    fail(false);
    return;
  }
  fail_io("read", status);
}

void Http1Connection::measure_response(uint64_t now) {
  out_->completed_ns = now;
  Timings& timings = out_->timings;
  if (!response_started_) {
    // Failed while waiting: the wait lasted until now.
    if (written_) timings.waiting = milliseconds_between(write_end_ns_, now);
    return;
  }
  if (!written_) {
    // The server answered before taking the whole request (e.g. 413): the rest of
    // our write is still queued, so this connection cannot carry another request.
    timings.sending = milliseconds_between(write_start_ns_, first_byte_ns_);
    write_end_ns_ = first_byte_ns_;
  }
  timings.waiting = milliseconds_between(write_end_ns_, first_byte_ns_);
  timings.receiving = milliseconds_between(first_byte_ns_, now);
}

void Http1Connection::abort_exchange(ConnectionListener& listener) {
  if (state_ != State::kBusy || !out_ || listener_ != &listener) return;
  measure_response(uv_hrtime());
  state_ = State::kBroken;
  out_ = nullptr;
  listener_ = nullptr;
}

void Http1Connection::complete(uint64_t now) {
  measure_response(now);
  ++responses_;
  bool keep_alive =
      reader_.keep_alive() && written_ && !reader_.trailing_bytes() && !close_after_response_;
  state_ = keep_alive ? State::kIdle : State::kBroken;
  if (keep_alive) stream_->set_referenced(false);
  out_ = nullptr;
  ConnectionListener* listener = listener_;
  listener_ = nullptr;
  listener->on_response_complete(*this, keep_alive);
}

void Http1Connection::fail_io(std::string_view operation, int status) {
  sockaddr_storage local;
  bool known = stream_->local_address(&local) == 0;
  set_io_error(*out_, operation, known ? reinterpret_cast<sockaddr*>(&local) : nullptr, remote(),
               status);
  bool dead_peer = status == UV_ECONNRESET || status == UV_EPIPE;
  fail(responses_ > 0 && !response_started_ && dead_peer);
}

void Http1Connection::fail(bool retryable) {
  measure_response(uv_hrtime());
  state_ = State::kBroken;
  out_ = nullptr;
  ConnectionListener* listener = listener_;
  listener_ = nullptr;
  listener->on_exchange_failed(*this, retryable);
}

void Http1Connection::idle_closed() {
  state_ = State::kBroken;
  idle_.on_idle_closed(*this);
}

}  // namespace lueng::http
