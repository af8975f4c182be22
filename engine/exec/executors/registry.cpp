// The registry of executors: what a scenario's `executor` names.
//
// Adding an executor is one file in this folder, which defines
// `extern const ExecutorKind kName = {"name", parse, from_shortcuts};` (see
// constant_vus.cpp), and one line in LUENG_EXECUTORS below, which declares it
// and lists it (docs/architecture.md, How to add an executor).
#include "engine/exec/executor.hpp"

// Every executor, in the order error messages list them ("known: ..."). Every
// line ends the same way, so adding one anywhere is that line alone.
#define LUENG_EXECUTORS(X) \
  X(kSharedIterations)     \
  X(kPerVuIterations)      \
  X(kConstantVus)          \
  X(kRampingVus)           \
  X(kConstantArrivalRate)  \
  X(kRampingArrivalRate)   \
  /* end of the list */

namespace lueng::exec {

#define LUENG_DECLARE_EXECUTOR(kind) extern const ExecutorKind kind;
LUENG_EXECUTORS(LUENG_DECLARE_EXECUTOR)

namespace {
#define LUENG_LIST_EXECUTOR(kind) &kind,
const ExecutorKind* const kExecutors[] = {LUENG_EXECUTORS(LUENG_LIST_EXECUTOR)};
}  // namespace

std::span<const ExecutorKind* const> executor_kinds() {
  return kExecutors;
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
