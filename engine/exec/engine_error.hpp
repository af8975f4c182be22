#pragma once

#include <stdexcept>

namespace lueng::exec {

// The engine itself cannot run: a system resource it needs at start-up (a file
// descriptor for an event loop, a timer, a thread) is not to be had, typically
// for a file descriptor limit too low (ulimit -n). Exit status 103, k6's
// GenericEngine.
class EngineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws EngineError naming `what` when a libuv call returned an error.
void check_uv(int status, const char* what);

// Raises the soft limit of open files to the hard one (every VU's connection is a
// descriptor, as Go's runtime does for k6), and throws EngineError when even that
// leaves too few to start: libuv aborts the process, rather than report an
// error, when its first loop cannot get its descriptors.
void ensure_file_descriptors();

}  // namespace lueng::exec
