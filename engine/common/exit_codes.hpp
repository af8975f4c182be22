#pragma once

namespace lueng {

// Process exit statuses of `lueng run` and `lueng validate`, as documented in
// docs/user-guide.md. Values follow k6 where k6 has one.
enum ExitCode : int {
  kExitOk = 0,
  kExitSloFailed = 1,
  kExitSloCritical = 2,
  kExitEngine = 103,  // the engine cannot start: a system resource is missing
  kExitInvalidConfig = 104,
  kExitInterrupted = 105,
  kExitScriptError = 107,
};

}  // namespace lueng
