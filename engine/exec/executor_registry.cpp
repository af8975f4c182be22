#include <array>

#include "engine/exec/executor_kinds.hpp"

namespace lueng::exec {

namespace {
// A new executor is one new file and one line here.
const std::array<const ExecutorKind*, 6> kExecutors = {&kSharedIterations,    &kPerVuIterations,
                                                       &kConstantVus,         &kRampingVus,
                                                       &kConstantArrivalRate, &kRampingArrivalRate};
}  // namespace

const ExecutorKind* find_executor(std::string_view name) {
  for (const ExecutorKind* kind : kExecutors)
    if (kind->name == name) return kind;
  return nullptr;
}

std::string executor_names() {
  std::string names;
  for (const ExecutorKind* kind : kExecutors) {
    if (!names.empty()) names += ", ";
    names += kind->name;
  }
  return names;
}

}  // namespace lueng::exec
