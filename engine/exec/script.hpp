#pragma once

// What the engine asks of a script runtime. exec defines these interfaces and
// never names the language: bindings/ implements them for Lua (LuaRuntime) and
// engine/cli hands that implementation to TestRun. One Script per worker (its
// init context), one ScriptVu per VU; all of a Script's calls, and its VUs',
// happen on the thread that loaded it, except ScriptRuntime::interrupt().

#include <pthread.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/exec/scenario_config.hpp"

namespace lueng::metrics {
class MetricCatalog;
}

namespace lueng::exec {

class PendingOperation;

// A script that cannot run: syntax error, error in init code or setup(). The
// message starts with "file:line:" when the runtime knows where (exit status 107).
class ScriptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// setup(), teardown() or handleSummary() ran past its timeout (setupTimeout...):
// the run exits `exit_code` (k6's 100 for setup, 101 for teardown).
class PhaseTimeout : public ScriptError {
 public:
  PhaseTimeout(const std::string& message, int code) : ScriptError(message), exit_code(code) {}
  int exit_code;
};

// Script code stopped by a stop request (ScriptRuntime::interrupt), not by its
// own error.
class ScriptInterrupted : public ScriptError {
 public:
  ScriptInterrupted() : ScriptError("interrupted") {}
};

// What every script state of a run is built from.
struct ScriptSource {
  std::string path;                      // as given on the command line
  std::vector<std::string> module_dirs;  // searched by require, in order
  KeyValues env;                         // the ENV table
  // math.random's run seed. Fixed: settled before the init code runs (--random-seed,
  // or an earlier state's lueng.random_seed()), so lueng.random_seed() keeps it.
  uint64_t random_seed = 0;
  bool random_seed_fixed = false;
};

// The outcome of resuming a VU until it waits or its iteration ends.
struct ResumeOutcome {
  bool iteration_ended = false;  // false: the VU waits for a PendingOperation
  bool ok = true;                // the iteration ended without error
  bool deliberate = false;       // !ok by lueng.fail(), not by a script error
  bool interrupted = false;      // !ok because a stop interrupted the code
  // !ok because the script ended its scenario (a data set's unique rows ran out,
  // Vu::stop_scenario): the iteration ends early, quietly, not as an error.
  bool stopped = false;
  std::string error;  // "file:line: message" when !ok
};

// A VU's script side: the coroutine that runs its exec function, iteration after
// iteration, with its own globals and its own copy of setup()'s data. Destroying
// it releases what it holds in its Script, which must still exist.
class ScriptVu {
 public:
  virtual ~ScriptVu() = default;
  // Runs the VU's code until it ends the iteration or waits for an operation
  // (the first call, and the first after restart(), starts an iteration).
  // `completed`: the operation the VU waited for, now done; it pushes its
  // results to the script as the values its wait returns (the script layer
  // started it, and knows its kind). When the iteration ends and `result_json`
  // is given, the exec function's return value is stored there as JSON ("" for
  // nil): setup() hands its data on this way.
  virtual ResumeOutcome resume(PendingOperation* completed, std::string* result_json) = 0;
  // Abandons whatever the coroutine was doing; the next resume() starts a fresh
  // iteration. The caller has abandoned the operation it waited for, if any.
  virtual void restart() = 0;
};

// The script loaded into one state: a worker's init context, or that of the main
// thread's init code, setup(), teardown() or handleSummary().
class Script {
 public:
  virtual ~Script() = default;
  // True when the script defines a global function of that name.
  virtual bool has_function(const std::string& name) const = 0;
  // The script's `options` as JSON, nullopt when it sets none. Throws ConfigError
  // when they are not a table or hold what JSON cannot (a function, a cycle).
  virtual std::optional<std::string> options_json() const = 0;
  // math.random's run seed: the source's, or what the init code chose
  // (lueng.random_seed()). Fixed once either settled it.
  virtual uint64_t random_seed() const = 0;
  virtual bool random_seed_fixed() const = 0;
  // A VU running `exec_name` each iteration with its own copy of the setup data
  // (JSON; empty for none) and `scenario_env` added to its ENV. Throws ScriptError.
  virtual std::unique_ptr<ScriptVu> new_vu(const std::string& exec_name,
                                           const std::string& setup_json,
                                           const KeyValues& scenario_env) = 0;
};

// Makes the run's script states. Shared read-only by every thread of a run, and
// kept alive by whatever may still use it (a phase given up on holds it too).
class ScriptRuntime {
 public:
  virtual ~ScriptRuntime() = default;
  // A new state with the script loaded: its init code has run, on the calling
  // thread, which runs that state from then on (interrupt() reaches it there).
  // Its metrics are looked up in `catalog`, which must outlive the state. Throws
  // ScriptError (ScriptInterrupted when a stop interrupted the init code).
  virtual std::unique_ptr<Script> load(const ScriptSource& source,
                                       const metrics::MetricCatalog& catalog) const = 0;
  // The same for the main thread's init state, whose init code may also define
  // metrics in `catalog`; workers only look them up, so the catalog is read-only
  // while they run.
  virtual std::unique_ptr<Script> load_defining_metrics(const ScriptSource& source,
                                                        metrics::MetricCatalog& catalog) const = 0;
  // Any thread: breaks into script code `thread` runs, if any, so that code that
  // loops without ever waiting still stops (a hard stop, a signal during a phase).
  // The runtime's code may not notice at once (LuaJIT traces call no hooks): the
  // caller must be ready to give up on the thread.
  virtual void interrupt(pthread_t thread) const = 0;
};

}  // namespace lueng::exec
