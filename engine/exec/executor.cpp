#include "engine/exec/executor.hpp"

#include <fmt/format.h>

namespace lueng::exec {

std::string ExecutorConfig::describe_share(const Segment& instance) const {
  return fmt::format("{} of {} VUs", max_vus(instance.whole_instance()), max_vus(Segment{}));
}

ExecutionTuple ExecutorConfig::iteration_numbering(const ExecutionTuple& instance) const {
  // None when the instance has no VUs: then it has no iterations to number.
  return instance.for_value(max_vus(Segment{})).value_or(instance);
}

}  // namespace lueng::exec
