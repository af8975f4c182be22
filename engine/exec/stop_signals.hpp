#pragma once

#include <csignal>
#include <string>

namespace lueng::exec {

// SIGINT and SIGTERM for the whole of a `lueng run`: blocked in every thread and
// read from a signalfd by whichever loop the main thread runs in the phase at
// hand (init, setup(), the load, teardown()). Between the phases they wait in
// the descriptor instead of killing the process with nothing written.
class StopSignals {
 public:
  // Call before any thread is started: threads inherit the blocked mask. Throws
  // EngineError when no signalfd can be had.
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  int fd() const { return fd_; }
  // Reads what is pending; returns how many signals arrived with it.
  int take();
  int count() const { return count_; }
  // "SIGINT" or "SIGTERM": the first signal, "" before any.
  const std::string& reason() const { return reason_; }

 private:
  int fd_ = -1;
  int count_ = 0;
  std::string reason_;
  sigset_t previous_;
};

}  // namespace lueng::exec
