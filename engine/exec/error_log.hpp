#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/result/run_result.hpp"

namespace lueng::exec {

// Script errors of iterations, shared by all workers. A message is printed the
// first time it occurs and counted afterwards, so a failing script cannot flood
// the terminal; past kMaxMessages distinct messages (an error that carries an id
// or a timestamp), new ones are only counted by the script_errors metric, so
// memory stays bounded. Touched only on the error path.
class ErrorLog {
 public:
  static constexpr size_t kMaxMessages = 100;

  // `phase`: "iteration", "setup" or "teardown"; `deliberate`: raised by lueng.fail().
  void report(const std::string& message, const char* phase = "iteration", bool deliberate = false);
  // Most frequent first.
  std::vector<result::ScriptErrorCount> counts() const;
  void print_repeats() const;  // "... (occurred N times)" for messages seen more than once

 private:
  mutable std::mutex mutex_;
  std::vector<result::ScriptErrorCount> messages_;
  std::unordered_map<std::string, size_t> index_;  // message -> place in messages_
  bool bound_reported_ = false;
};

}  // namespace lueng::exec
