#pragma once

#include <cstddef>
#include <memory>

#include <lua.hpp>

#include "bindings/http_response_callback.hpp"
#include "bindings/lua_operation.hpp"
#include "engine/exec/http_batch.hpp"
#include "engine/exec/http_call.hpp"
#include "engine/exec/http_flight.hpp"
#include "engine/exec/vu.hpp"
#include "engine/exec/vu_module_state.hpp"
#include "engine/http/cookie_jar.hpp"

namespace lueng::exec {
struct PooledResponse;
}

namespace lueng::bindings {

struct ResponseBinding;

// What lueng.http keeps per VU: its flight (and with it its Session, so its
// connections), the storage its requests reuse, its cookie jar, and the two
// operations a VU waits for, one request and one http.batch(). Made on the VU's
// first use of lueng.http, destroyed with the VU; nothing here is allocated per
// request.
class HttpVu final : public exec::VuModuleState {
 public:
  explicit HttpVu(exec::Vu& vu);
  ~HttpVu() override;
  HttpVu(const HttpVu&) = delete;
  HttpVu& operator=(const HttpVu&) = delete;

  // The running VU's state, made on first use.
  static HttpVu& of(exec::Vu& vu);

  // The VU's own jar: emptied at the start of every iteration unless the run's
  // noCookiesReset says otherwise.
  http::CookieJar& cookies() { return cookies_; }

  // A request's storage, reset to the run's defaults (options) and the state's
  // response callback (http.setResponseCallback) of `L`.
  exec::HttpCall& prepare_call(lua_State* L);
  // Sends the prepared call; the VU then waits for the returned operation, whose
  // result is the response userdata. `hold_ref` (a registry reference of `L`, or
  // LUA_NOREF) keeps what the call points at (its params.jar) alive until the
  // response is back; it is released either way.
  LuaOperation& send(lua_State* L, int hold_ref);

  // http.batch(): entries 0..count-1 are filled, then sent together; the result
  // is the table of responses. `input_ref` (a registry reference of `L` to the
  // script's table) gives the result its shape and is released either way.
  exec::HttpCall& prepare_batch_entry(lua_State* L, size_t index);
  LuaOperation& send_batch(lua_State* L, size_t count, int input_ref);

  void on_iteration_start() override;
  void close() override;

 private:
  // One request: the VU's flight, its response pushed as the result.
  class Request final : public LuaOperation, private exec::HttpFlight::Listener {
   public:
    explicit Request(HttpVu& owner) : owner_(owner) {}
    void start(lua_State* L, int hold_ref);
    int push_results(lua_State* L) override;
    void abandon() override;
    // What a request still holds when the VU goes.
    void release();

   private:
    void on_flight_done(exec::HttpFlight& flight) override;
    void drop_hold();
    HttpVu& owner_;
    exec::PooledResponse* response_ = nullptr;
    lua_State* hold_L_ = nullptr;  // the waiting coroutine, alive while it waits
    int hold_ref_ = LUA_NOREF;
  };

  // One http.batch(): its responses pushed in the shape of the script's table.
  class Batch final : public LuaOperation, private exec::HttpBatch::Listener {
   public:
    explicit Batch(HttpVu& owner) : owner_(owner) {}
    void start(lua_State* L, size_t count, int input_ref);
    int push_results(lua_State* L) override;
    void abandon() override;
    void release() { drop_input(); }

   private:
    void on_batch_done() override;
    void drop_input();
    HttpVu& owner_;
    lua_State* input_L_ = nullptr;  // the waiting coroutine, alive while it waits
    int input_ref_ = LUA_NOREF;
  };

  // Resets `call` to the run's defaults and the response callback (and finds
  // what the VU's first call needs of the state).
  void reset_call(lua_State* L, exec::HttpCall& call);

  exec::Vu& vu_;
  const ResponseCallbackSetting* callback_ = nullptr;  // of the state, found on first use
  ResponseBinding* response_binding_ = nullptr;        // of the state, found with callback_
  exec::HttpCall call_;
  http::CookieJar cookies_;
  exec::HttpFlight flight_;                 // after cookies_, which it uses
  std::unique_ptr<exec::HttpBatch> batch_;  // made by the first http.batch(); after flight_
  Request request_{*this};
  Batch batch_op_{*this};
};

}  // namespace lueng::bindings
