#include "engine/exec/stop_signals.hpp"

#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/exec/engine_error.hpp"

namespace lueng::exec {

StopSignals::StopSignals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, &previous_);
  fd_ = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd_ < 0) {
    int error = errno;
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    throw EngineError(std::string("cannot watch for SIGINT and SIGTERM (signalfd): ") +
                      std::strerror(error));
  }
}

StopSignals::~StopSignals() {
  ::close(fd_);
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

int StopSignals::take() {
  int arrived = 0;
  signalfd_siginfo info;
  while (::read(fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    if (reason_.empty()) reason_ = info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
    ++arrived;
  }
  count_ += arrived;
  return arrived;
}

}  // namespace lueng::exec
