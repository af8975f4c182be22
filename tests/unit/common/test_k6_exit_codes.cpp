// k6's errext/exitcodes/codes.go, ported code by code (docs/from-k6.md, "Test
// tables ported from k6"): for every situation lueng has, the exit status k6
// gives it, or the documented difference. The codes of what lueng does not have
// (k6 Cloud 97 and 98, the REST API's 106, Go panics 109, the unused 102) are
// listed there as not ported. setupTimeout/teardownTimeout (100, 101),
// test.abort() (108) and test.fail() (110) are asserted where those land (the
// integration tests of the execution context and hook timeouts).
#include <catch2/catch.hpp>

#include "engine/common/exit_codes.hpp"

using namespace lueng;

TEST_CASE("k6 codes.go: the statuses lueng shares with k6", "[k6][exit]") {
  CHECK(kExitInvalidConfig == 104);  // InvalidConfig
  CHECK(kExitInterrupted == 105);    // ExternalAbort: SIGINT, SIGTERM
  CHECK(kExitScriptError == 107);    // ScriptException
}

TEST_CASE("k6 codes.go: lueng's documented differences", "[k6][exit]") {
  // ThresholdsHaveFailed (99): lueng's SLO tiers exit 1 (FAIL) or 2 (CRITICAL).
  CHECK(kExitSloFailed == 1);
  CHECK(kExitSloCritical == 2);
  // ScriptStoppedFromRESTAPI (103): lueng has no REST API; its 103 says the
  // engine could not start (a system resource is missing).
  CHECK(kExitEngine == 103);
}
