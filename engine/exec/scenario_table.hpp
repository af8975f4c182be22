#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "engine/exec/option_values.hpp"

namespace lueng::exec {

// One scenario's table in options.scenarios, read option by option: the options
// every scenario has by options.cpp, the rest by the executors (each reads its
// own). An option matches in camelCase or snake_case ("max_duration" is
// maxDuration); errors name it as the script wrote it
// ("options.scenarios.browse.max_duration: ..."). What nobody read is unknown.
class ScenarioTable {
 public:
  // The names an option goes by, in camelCase: {"maxVUs", "maxVus"}.
  using Names = std::initializer_list<std::string_view>;
  using Reader = std::function<void(const rapidjson::Value& value, const std::string& where)>;

  // `table` must be an object; `where` is its own name ("options.scenarios.browse").
  ScenarioTable(const rapidjson::Value& table, std::string where);

  // Calls `read` with every value under one of `names` (the last one wins where
  // a script gives two spellings) and marks it read.
  void read(Names names, const Reader& read);
  // Typed reads: `into` keeps its value (the default) when the option is absent.
  void count(Names names, int64_t& into);
  void duration(Names names, double& into);
  void stages(Names names, std::vector<Stage>& into);

  // The options no read has asked for, as written.
  std::vector<std::string> unread() const;
  // The option asked for whose name is nearest `name` (a typo, e.g. startTime for
  // stratTime), or "" when none is close.
  std::string nearest_option(const std::string& name) const;

 private:
  const rapidjson::Value& table_;
  std::string where_;
  std::vector<bool> read_;               // per member of table_, in order
  std::vector<std::string_view> asked_;  // every name a read asked for (literals)
};

}  // namespace lueng::exec
