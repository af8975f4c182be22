#include "engine/http/tcp_stream.hpp"

#include <sys/socket.h>

namespace lueng::http {

namespace {

class TcpStream final : public Stream {
 public:
  TcpStream(uv_loop_t* loop, std::span<char> read_buffer, StreamHandler& handler)
      : handler_(&handler), read_buffer_(read_buffer) {
    uv_tcp_init(loop, &tcp_);  // cannot fail for AF_UNSPEC: the socket is created on connect
    tcp_.data = this;
    connect_request_.data = this;
    write_request_.data = this;
  }

  int connect(const sockaddr* address) override {
    return uv_tcp_connect(&connect_request_, &tcp_, address, on_connected);
  }

  int bind(const sockaddr* address) override { return uv_tcp_bind(&tcp_, address, 0); }

  int write(std::string_view data) override {
    uv_buf_t buffer =
        uv_buf_init(const_cast<char*>(data.data()), static_cast<unsigned>(data.size()));
    // The whole request usually fits the socket buffer: one writev, no request queued.
    int written = uv_try_write(stream(), &buffer, 1);
    if (written >= 0 && static_cast<size_t>(written) == data.size()) return kWriteComplete;
    if (written < 0 && written != UV_EAGAIN) return written;
    if (written > 0) {
      buffer.base += written;
      buffer.len -= static_cast<size_t>(written);
    }
    int status = uv_write(&write_request_, stream(), &buffer, 1, on_written);
    return status < 0 ? status : kWritePending;
  }

  void set_handler(StreamHandler& handler) override { handler_ = &handler; }

  void set_referenced(bool referenced) override {
    auto* handle = reinterpret_cast<uv_handle_t*>(&tcp_);
    if (referenced) {
      uv_ref(handle);
    } else {
      uv_unref(handle);
    }
  }

  int local_address(sockaddr_storage* address) const override {
    int length = sizeof(*address);
    return uv_tcp_getsockname(&tcp_, reinterpret_cast<sockaddr*>(address), &length);
  }

  void close() override {
    handler_ = nullptr;
    // Pending connect/write callbacks run (cancelled) before the close callback,
    // so the requests embedded in this object stay valid until it is deleted.
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_),
             [](uv_handle_t* handle) { delete static_cast<TcpStream*>(handle->data); });
  }

 private:
  ~TcpStream() = default;

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&tcp_); }

  static void on_connected(uv_connect_t* request, int status) {
    auto* self = static_cast<TcpStream*>(request->data);
    if (!self->handler_) return;
    if (status == 0) {
      uv_tcp_nodelay(&self->tcp_, 1);
      // Reading stays on for the connection's life: an idle keep-alive connection
      // learns at once when the server closes it.
      status = uv_read_start(self->stream(), on_alloc, on_read);
    }
    self->handler_->on_connect(status);
  }

  static void on_alloc(uv_handle_t* handle, size_t, uv_buf_t* buffer) {
    auto* self = static_cast<TcpStream*>(handle->data);
    *buffer =
        uv_buf_init(self->read_buffer_.data(), static_cast<unsigned>(self->read_buffer_.size()));
  }

  static void on_read(uv_stream_t* stream, ssize_t length, const uv_buf_t* buffer) {
    auto* self = static_cast<TcpStream*>(stream->data);
    if (!self->handler_ || length == 0) return;
    if (length > 0) {
      self->handler_->on_read(buffer->base, static_cast<size_t>(length));
    } else {
      uv_read_stop(stream);
      int status = static_cast<int>(length);
      if (status == UV_EOF) status = pending_error_or(stream, status);
      self->handler_->on_read_end(status);
    }
  }

  // A reset that arrives together with the last data is reported by libuv as the
  // end of the stream (POLLHUP after a partial read) without reading the socket's
  // error; the error is still pending, and a reset peer is not a clean close.
  static int pending_error_or(uv_stream_t* stream, int status) {
    uv_os_fd_t fd;
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(stream), &fd) != 0) return status;
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error == 0) return status;
    return uv_translate_sys_error(error);
  }

  static void on_written(uv_write_t* request, int status) {
    auto* self = static_cast<TcpStream*>(request->data);
    if (self->handler_) self->handler_->on_write(status);
  }

  StreamHandler* handler_;
  std::span<char> read_buffer_;
  uv_tcp_t tcp_;
  uv_connect_t connect_request_;
  uv_write_t write_request_;
};

}  // namespace

StreamPtr make_tcp_stream(uv_loop_t* loop, std::span<char> read_buffer, StreamHandler& handler) {
  return StreamPtr(new TcpStream(loop, read_buffer, handler));
}

}  // namespace lueng::http
