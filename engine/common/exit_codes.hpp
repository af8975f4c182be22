#pragma once

namespace lueng {

// Process exit statuses of `lueng run` and `lueng validate`, as documented in
// docs/user-guide.md. Values follow k6 where k6 has one.
enum ExitCode : int {
  kExitOk = 0,
  kExitSloFailed = 1,
  kExitSloCritical = 2,
  kExitSetupTimeout = 100,     // setup() ran past setupTimeout
  kExitTeardownTimeout = 101,  // teardown() ran past teardownTimeout
  kExitEngine = 103,           // the engine cannot start: a system resource is missing
  kExitInvalidConfig = 104,
  kExitInterrupted = 105,
  kExitScriptError = 107,
  kExitScriptAborted = 108,   // lueng.test.abort()
  kExitMarkedAsFailed = 110,  // lueng.test.fail(): the test ran on, then failed
};

}  // namespace lueng
