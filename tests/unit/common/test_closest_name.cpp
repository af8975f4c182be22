#include <catch2/catch.hpp>

#include "engine/common/closest_name.hpp"

using lueng::closest_name;
using lueng::edit_distance;

TEST_CASE("edit distance counts insertions, deletions and substitutions, ignoring case") {
  CHECK(edit_distance("run", "run") == 0);
  CHECK(edit_distance("runn", "run") == 1);
  CHECK(edit_distance("valdiate", "validate") == 2);
  CHECK(edit_distance("GATE", "gate") == 0);
  CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("the closest name is suggested only for a near miss") {
  std::vector<std::string_view> commands = {"run", "inspect", "validate", "report", "compare"};
  CHECK(closest_name("runn", commands) == "run");
  CHECK(closest_name("reprot", commands) == "report");
  CHECK(closest_name("deploy", commands).empty());
  CHECK(closest_name("x", {}).empty());
}
