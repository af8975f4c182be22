#include "engine/exec/engine_error.hpp"

#include <sys/resource.h>
#include <uv.h>

#include <string>

namespace lueng::exec {

void check_uv(int status, const char* what) {
  if (status >= 0) return;
  std::string message = std::string("cannot start: ") + what + ": " + uv_strerror(status);
  if (status == UV_EMFILE || status == UV_ENFILE) message += " (raise the limit with ulimit -n)";
  throw EngineError(message);
}

void ensure_file_descriptors() {
  // The main loop, its signal pipe and signalfd, stdio, a worker's loop, timer
  // and stop handle, the script: fewer than this and nothing can run.
  constexpr rlim_t kMinimum = 32;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur < kMinimum)
    throw EngineError("cannot start: only " + std::to_string(limit.rlim_cur) +
                      " open files allowed, at least " + std::to_string(kMinimum) +
                      " are needed (raise the limit with ulimit -n)");
}

}  // namespace lueng::exec
