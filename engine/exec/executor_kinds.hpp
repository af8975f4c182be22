#pragma once

#include <memory>
#include <string>

#include <fmt/format.h>

#include "engine/common/duration.hpp"

#include "engine/exec/executor.hpp"

namespace lueng::exec {

// One definition per executor file; executor_registry.cpp lists them all.
extern const ExecutorKind kConstantVus;
extern const ExecutorKind kSharedIterations;
extern const ExecutorKind kPerVuIterations;
extern const ExecutorKind kRampingVus;
extern const ExecutorKind kConstantArrivalRate;
extern const ExecutorKind kRampingArrivalRate;

}  // namespace lueng::exec
