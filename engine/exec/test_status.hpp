#pragma once

#include <atomic>
#include <mutex>
#include <string>

namespace lueng::exec {

// What a script decided about the whole test, k6's lib.TestStatus and the
// abort of exec.test: lueng.test.abort() stops the test (exit 108),
// lueng.test.fail() lets it go on and fails it at the end (exit 110). One per
// process, because setup() and teardown() run in runs of their own
// (Worker::call_function) and must reach the test's. Any thread.
class TestStatus {
 public:
  // The first abort's message wins; later calls only keep the flag set.
  void abort(const std::string& message);
  void fail(const std::string& message);
  bool aborted() const { return aborted_.load(std::memory_order_acquire); }
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  std::string abort_message() const;
  std::string fail_message() const;
  void reset();  // a new test (TestRun::prepare)

 private:
  std::atomic<bool> aborted_{false};
  std::atomic<bool> failed_{false};
  mutable std::mutex mutex_;
  std::string abort_message_, fail_message_;
};

TestStatus& test_status();

}  // namespace lueng::exec
