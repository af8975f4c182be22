#include "engine/exec/test_status.hpp"

namespace lueng::exec {

void TestStatus::abort(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (!aborted_.load(std::memory_order_relaxed)) abort_message_ = message;
  aborted_.store(true, std::memory_order_release);
}

void TestStatus::fail(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (!failed_.load(std::memory_order_relaxed)) fail_message_ = message;
  failed_.store(true, std::memory_order_release);
}

std::string TestStatus::abort_message() const {
  std::lock_guard lock(mutex_);
  return abort_message_;
}

std::string TestStatus::fail_message() const {
  std::lock_guard lock(mutex_);
  return fail_message_;
}

void TestStatus::reset() {
  std::lock_guard lock(mutex_);
  aborted_.store(false);
  failed_.store(false);
  abort_message_.clear();
  fail_message_.clear();
}

TestStatus& test_status() {
  static TestStatus status;
  return status;
}

}  // namespace lueng::exec
