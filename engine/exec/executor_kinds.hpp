#pragma once

#include <memory>
#include <string>

#include "engine/exec/executor.hpp"

namespace lueng::exec {

// One definition per executor file; executor_registry.cpp lists them all.
extern const ExecutorKind kConstantVus;
extern const ExecutorKind kSharedIterations;
extern const ExecutorKind kPerVuIterations;

}  // namespace lueng::exec
