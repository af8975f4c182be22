#pragma once

#include <pthread.h>

#include <functional>

#include "engine/exec/stop_signals.hpp"

namespace lueng::exec {

enum class PhaseEnd {
  kFinished,   // the work returned (or threw: the exception is passed on)
  kAbandoned,  // stopped by a signal and still running 1 s later: left behind
};

// Runs one phase of a run that executes script code off the load's workers
// (init code, setup(), teardown()) on a thread of its own, while the calling
// thread watches the run's signals. A signal stops the phase at once:
// `stop(thread)` is called, which stops what the phase runs (its event loop, its
// Lua code); if the work has not returned 1 s later (Lua code looping inside a
// JIT trace, which no hook reaches), it is abandoned: its thread is detached
// and keeps running until the process exits, which the caller then does soon,
// after writing its outputs. Without `signals` the work runs on this thread.
PhaseEnd watch_phase(const char* what, StopSignals* signals, const std::function<void()>& work,
                     const std::function<void(pthread_t thread)>& stop);

// How long a stopped phase or worker has before it is given up on.
inline constexpr double kAbandonAfterSeconds = 1.0;

}  // namespace lueng::exec
