#include "engine/exec/executor.hpp"

#include <fmt/format.h>

namespace lueng::exec {

std::string ExecutorConfig::describe_share(const Segment& instance) const {
  return fmt::format("{} of {} VUs", max_vus(instance.whole_instance()), max_vus(Segment{}));
}

}  // namespace lueng::exec
