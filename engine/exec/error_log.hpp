#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace lueng::exec {

// Script errors of iterations, shared by all workers. A message is printed the
// first time it occurs and counted afterwards, so a failing script cannot flood
// the terminal. Touched only on the error path.
class ErrorLog {
 public:
  void report(const std::string& message);
  std::map<std::string, uint64_t> counts() const;
  void print_repeats() const;  // "... (occurred N times)" for messages seen more than once

 private:
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t> counts_;
};

}  // namespace lueng::exec
