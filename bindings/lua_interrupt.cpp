#include "bindings/lua_interrupt.hpp"

#include <csignal>
#include <mutex>
#include <string>

namespace lueng::bindings {

namespace {

// Read by the signal handler on the same thread: a single aligned pointer.
thread_local lua_State* volatile t_state = nullptr;
const char kInterruptionKey = 0;

// Realtime signals are queued, never merged with one a user sends by hand, and
// glibc's SIGRTMIN already skips those it uses itself.
int interrupt_signal() {
  return SIGRTMIN + 1;
}

void raise_interruption(lua_State* L, lua_Debug*) {
  lua_pushlightuserdata(L, const_cast<char*>(&kInterruptionKey));
  lua_error(L);
}

void on_interrupt_signal(int) {
  if (lua_State* L = t_state)
    lua_sethook(L, raise_interruption, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void install_handler() {
  static std::once_flag installed;
  std::call_once(installed, [] {
    struct sigaction action {};
    action.sa_handler = on_interrupt_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(interrupt_signal(), &action, nullptr);
  });
}

}  // namespace

void set_interruptible(lua_State* L) {
  install_handler();
  t_state = L;
}

void clear_interruptible(lua_State* L) {
  if (t_state == L) t_state = nullptr;
}

void interrupt_lua_on(pthread_t thread) {
  install_handler();
  pthread_kill(thread, interrupt_signal());
}

bool is_interruption(lua_State* L, int index) {
  return lua_touserdata(L, index) == &kInterruptionKey;
}

namespace {

thread_local std::string t_pending_error;

// The interruption's signal handler must not slip in between looking at the
// hook and replacing it.
class InterruptBlock {
 public:
  InterruptBlock() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, interrupt_signal());
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~InterruptBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  InterruptBlock(const InterruptBlock&) = delete;
  InterruptBlock& operator=(const InterruptBlock&) = delete;

 private:
  sigset_t old_;
};

void raise_pending(lua_State* L, lua_Debug*) {
  {
    InterruptBlock block;
    if (lua_gethook(L) == raise_pending) lua_sethook(L, nullptr, 0, 0);
  }
  luaL_where(L, 0);
  lua_pushlstring(L, t_pending_error.data(), t_pending_error.size());
  lua_concat(L, 2);
  lua_error(L);
}

}  // namespace

void raise_when_resumed(lua_State* L, std::string_view message) {
  InterruptBlock block;
  if (lua_gethook(L) != nullptr) return;  // an interruption is armed
  t_pending_error.assign(message);
  lua_sethook(L, raise_pending, LUA_MASKCOUNT, 1);
}

}  // namespace lueng::bindings
