#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>

#include "engine/common/json_parse.hpp"

using lueng::JsonParseError;
using lueng::kMaxJsonDepth;
using lueng::parse_json_bounded;

namespace {

std::string nested_arrays(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

}  // namespace

TEST_CASE("JSON parses into a document, numbers exact to the last bit") {
  rapidjson::Document d;
  JsonParseError error;
  REQUIRE(parse_json_bounded(R"({"a":[1,2,{"b":null}],"c":"d","x":0.1})", d, &error));
  REQUIRE(d.IsObject());
  CHECK(d["a"].Size() == 3);
  CHECK(d["a"][2]["b"].IsNull());
  CHECK(std::string(d["c"].GetString()) == "d");
  CHECK(d["x"].GetDouble() == 0.1);
  REQUIRE(parse_json_bounded("1.7976931348623157e308", d, &error));
  CHECK(d.GetDouble() == 1.7976931348623157e308);
  // A byte order mark is skipped, as Document::Parse does.
  REQUIRE(parse_json_bounded("\xEF\xBB\xBF[true]", d, &error));
  CHECK(d[0].IsTrue());
}

TEST_CASE("JSON errors say what and where, and leave the document null") {
  rapidjson::Document d;
  JsonParseError error;
  REQUIRE(parse_json_bounded("[1]", d, &error));
  CHECK_FALSE(parse_json_bounded(R"({"a" 1})", d, &error));
  CHECK(d.IsNull());
  CHECK(error.what == "Missing a colon after a name of object member");
  CHECK(error.offset == 5);
  CHECK_FALSE(parse_json_bounded("", d, &error));
  CHECK(error.what == "The document is empty");
  CHECK_FALSE(parse_json_bounded("[1] 2", d, &error));
  CHECK(error.what == "The document root must not be followed by other values");
  CHECK(error.offset == 4);
  // The text is exactly the bytes given: a NUL inside is not an end.
  CHECK_FALSE(parse_json_bounded(std::string_view("[\0]", 3), d, &error));
  CHECK(error.offset == 1);
  CHECK_FALSE(parse_json_bounded(std::string_view("[1", 2), d, nullptr));
}

TEST_CASE("JSON nesting stops at 1000 levels, at the bracket that goes over") {
  rapidjson::Document d;
  JsonParseError error;
  REQUIRE(parse_json_bounded(nested_arrays(kMaxJsonDepth), d, &error));
  CHECK(d.IsArray());
  std::string too_deep = nested_arrays(kMaxJsonDepth + 1);
  REQUIRE_FALSE(parse_json_bounded(too_deep, d, &error));
  CHECK(d.IsNull());
  CHECK(error.what == "JSON nested deeper than 1000 levels");
  CHECK(error.offset == 1000);
  CHECK(too_deep[error.offset] == '[');

  std::string objects;
  for (int i = 0; i <= kMaxJsonDepth; ++i) objects += R"({"k":)";
  objects += "1" + std::string(static_cast<size_t>(kMaxJsonDepth) + 1, '}');
  REQUIRE_FALSE(parse_json_bounded(objects, d, &error));
  CHECK(error.what == "JSON nested deeper than 1000 levels");
  CHECK(error.offset == 5000);
  CHECK(objects[error.offset] == '{');

  // Levels closed again do not count: only the open ones do.
  std::string wide;
  for (int i = 0; i < 3; ++i) wide += nested_arrays(kMaxJsonDepth - 1) + ",";
  REQUIRE(parse_json_bounded("[" + wide + "1]", d, &error));
  CHECK(d.Size() == 4);
}

TEST_CASE("JSON as deep as a 200 KB body fails without recursing") {
  // RapidJSON's recursive parser overflowed the stack on this (SIGSEGV).
  rapidjson::Document d;
  JsonParseError error;
  REQUIRE_FALSE(parse_json_bounded(std::string(200'000, '['), d, &error));
  CHECK(error.what == "JSON nested deeper than 1000 levels");
  REQUIRE_FALSE(parse_json_bounded(std::string(2'000'000, '['), d, &error));
  CHECK(error.offset == 1000);
}

TEST_CASE("JSON numbers are integers within 64 bits, else the nearest double") {
  rapidjson::Document d;
  JsonParseError error;
  auto number = [&](const char* text) {
    REQUIRE(parse_json_bounded(text, d, &error));
    return d.GetDouble();
  };
  // RapidJSON 1.1.0's full precision mode read these as 1.4e-135 and 1.5e82
  // (found by tests/fuzz: "0e80" in a thresholds table).
  CHECK(number("0e80") == 0);
  CHECK(number("0.000e300") == 0);
  CHECK(std::signbit(number("-0e80")));
  CHECK(number("0.184467440737095516159") == 0.18446744073709551);
  CHECK(number("1e-400") == 0);
  CHECK(number("4.9e-324") == 4.9406564584124654e-324);
  CHECK(number("1.7976931348623157e308") == 1.7976931348623157e308);
  CHECK(number("2.220446049250313e-16") == 2.220446049250313e-16);
  REQUIRE(parse_json_bounded("[18446744073709551615, -9223372036854775808, 42, -0, 1e2, 1.0]", d,
                             &error));
  CHECK(d[0].IsUint64());
  CHECK(d[0].GetUint64() == 18446744073709551615u);
  CHECK(d[1].IsInt64());
  CHECK(d[1].GetInt64() == INT64_MIN);
  CHECK(d[2].IsInt());
  CHECK(d[2].IsUint());
  CHECK(d[3].IsInt());
  CHECK(d[4].IsDouble());
  CHECK(d[5].IsDouble());
  CHECK(number("18446744073709551616") == 18446744073709551616.0);
  // Beyond a double: an error at the number, as RapidJSON's "1e309" is.
  CHECK_FALSE(parse_json_bounded("[1, 1.7976931348623159e308]", d, &error));
  CHECK(error.what == "Number too big to be stored in double");
  CHECK(error.offset == 4);
  CHECK_FALSE(parse_json_bounded("1e309", d, &error));
  CHECK(error.what == "Number too big to be stored in double");
}
