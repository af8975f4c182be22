#pragma once

#include <pthread.h>

#include <string_view>

#include <lua.hpp>

namespace lueng::bindings {

// Stopping Lua code that never yields: a VU in a CPU loop, init code, setup() or
// teardown() that loops. Nothing is armed until a stop is asked for, so running
// code pays nothing: interrupt_lua_on() then sends the thread a signal, whose
// handler sets a count hook on the state that thread runs (lua_sethook is meant
// to be called from a signal handler, as LuaJIT's own REPL does for Ctrl-C). The
// hook raises an error value of its own at the next interpreted instruction and
// stays armed, so a pcall in a loop cannot swallow it for long. Code compiled
// into a JIT trace never calls hooks: a loop there is not interrupted, and the
// caller must be ready to give up on the thread (TestRun does, after 1 s).

// The calling thread runs `L` from now on. Called by ScriptState.
void set_interruptible(lua_State* L);
// `L` is about to close: the calling thread no longer runs it (if it did).
void clear_interruptible(lua_State* L);

// Any thread: interrupts the Lua code `thread` runs, if any, once it next executes
// an interpreted instruction.
void interrupt_lua_on(pthread_t thread);

// True when the value at `index` is the error the interruption raised.
bool is_interruption(lua_State* L, int index);

// How a module function that yielded raises an error once its coroutine `L` is
// resumed (a C function cannot run again after lua_yield): a one-shot count hook
// raises `message`, with the script's file:line, at the next interpreted
// instruction, which is the caller's code right after the call (a call of a C
// function is never part of a JIT trace). Call it from the operation's
// push_results, just before the resume. Does nothing while an interruption is
// armed: that error wins. Costs nothing to code that never calls it.
void raise_when_resumed(lua_State* L, std::string_view message);

}  // namespace lueng::bindings
