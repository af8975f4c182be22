#include "bindings/http_vu.hpp"

#include "bindings/lua_interrupt.hpp"
#include "bindings/modules.hpp"
#include "engine/exec/http_options.hpp"
#include "engine/exec/response_pool.hpp"

namespace lueng::bindings {

HttpVu::HttpVu(exec::Vu& vu) : vu_(vu), flight_(vu, cookies_, vu.http_client()) {}

HttpVu::~HttpVu() {
  batch_.reset();
  batch_op_.release();
  request_.release();
}

HttpVu& HttpVu::of(exec::Vu& vu) {
  static const size_t slot = exec::new_vu_slot();
  return vu.module_state<HttpVu>(slot);
}

void HttpVu::on_iteration_start() {
  const exec::HttpOptions& options = vu_.http_options();
  if (!options.no_cookies_reset) cookies_.clear();
  // k6 closes them as an iteration ends; before the next one starts is the same
  // for the server, and the VU's last connections close with it anyway.
  if (options.no_vu_connection_reuse) flight_.session().pool().close_idle();
}

void HttpVu::close() {
  flight_.abandon();
  if (batch_) batch_->abandon();
}

void HttpVu::reset_call(lua_State* L, exec::HttpCall& call) {
  const exec::HttpOptions& options = vu_.http_options();
  call.reset(options.discard_response_bodies, options.max_redirects, options.max_response_body_size,
             options.throw_errors);
  if (!callback_) {
    callback_ = &response_callback_setting(L);
    response_binding_ = response_binding(L);
  }
  call.expected = callback_->expected;
  call.response_callback = callback_->judged;
}

exec::HttpCall& HttpVu::prepare_call(lua_State* L) {
  reset_call(L, call_);
  return call_;
}

LuaOperation& HttpVu::send(lua_State* L, int hold_ref) {
  request_.start(L, hold_ref);
  return request_;
}

exec::HttpCall& HttpVu::prepare_batch_entry(lua_State* L, size_t index) {
  if (!batch_) batch_ = std::make_unique<exec::HttpBatch>(vu_, flight_);
  exec::HttpCall& call = batch_->entry(index);
  reset_call(L, call);
  return call;
}

LuaOperation& HttpVu::send_batch(lua_State* L, size_t count, int input_ref) {
  batch_op_.start(L, count, input_ref);
  return batch_op_;
}

// --- one request

void HttpVu::Request::start(lua_State* L, int hold_ref) {
  hold_L_ = L;
  hold_ref_ = hold_ref;
  response_ = owner_.vu_.responses().take();
  owner_.flight_.start(owner_.call_, *response_, *this);
}

void HttpVu::Request::on_flight_done(exec::HttpFlight&) {
  drop_hold();
  owner_.vu_.complete(*this);  // last: the VU's code runs on from here
}

namespace {

// params.throw (or the throw option) and no response: k6 throws in place of the
// error response.
bool throws(const exec::HttpCall& call, const exec::PooledResponse& response) {
  return call.throw_on_error && response.data.status == 0 &&
         response.data.error_code != http::ErrorCode::kNone;
}

void raise_for(lua_State* L, const exec::PooledResponse& response) {
  raise_when_resumed(L, response.method + " " + response.url + ": " + response.data.error);
}

}  // namespace

int HttpVu::Request::push_results(lua_State* L) {
  exec::PooledResponse* response = owner_.flight_.response();
  if (throws(owner_.call_, *response)) raise_for(L, *response);
  push_response(L, response, &owner_.vu_.responses(), *owner_.response_binding_);
  response_ = nullptr;
  return 1;
}

void HttpVu::Request::abandon() {
  owner_.flight_.abandon();
  release();
}

void HttpVu::Request::release() {
  if (response_) owner_.vu_.responses().give_back(response_);
  response_ = nullptr;
  drop_hold();
}

void HttpVu::Request::drop_hold() {
  if (hold_ref_ != LUA_NOREF) luaL_unref(hold_L_, LUA_REGISTRYINDEX, hold_ref_);
  hold_ref_ = LUA_NOREF;
  hold_L_ = nullptr;
}

// --- one batch

void HttpVu::Batch::start(lua_State* L, size_t count, int input_ref) {
  input_L_ = L;
  input_ref_ = input_ref;
  const exec::HttpOptions& options = owner_.vu_.http_options();
  owner_.batch_->start(count, options.batch, options.batch_per_host, *this);
}

void HttpVu::Batch::on_batch_done() {
  owner_.vu_.complete(*this);  // last: the VU's code runs on from here
}

int HttpVu::Batch::push_results(lua_State* L) {
  int input_ref = input_ref_;
  input_ref_ = LUA_NOREF;  // push_batch_responses releases it
  input_L_ = nullptr;
  // As k6, the batch raises the first entry's error (by index here, where k6 takes
  // whichever failed first).
  exec::HttpBatch& batch = *owner_.batch_;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (throws(batch.entry(i), batch.response(i))) {
      raise_for(L, batch.response(i));
      break;
    }
  }
  push_batch_responses(L, input_ref, *owner_.batch_, &owner_.vu_.responses(),
                       *owner_.response_binding_);
  return 1;
}

void HttpVu::Batch::abandon() {
  owner_.batch_->abandon();
  drop_input();
}

void HttpVu::Batch::drop_input() {
  if (input_ref_ != LUA_NOREF) luaL_unref(input_L_, LUA_REGISTRYINDEX, input_ref_);
  input_ref_ = LUA_NOREF;
  input_L_ = nullptr;
}

}  // namespace lueng::bindings
