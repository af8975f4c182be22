#include <catch2/catch.hpp>

#include <string>

#include "engine/common/json_selector.hpp"

using lueng::select_json;

namespace {

// k6's js/modules/k6/http/response_test.go jsonData.
const char* kGlossary = R"({"glossary": {
    "friends": [
      {"first": "Dale", "last": "Murphy", "age": 44},
      {"first": "Roger", "last": "Craig", "age": 68},
      {"first": "Jane", "last": "Murphy", "age": 47}],
  "GlossDiv": {
    "title": "S",
    "GlossList": {
      "GlossEntry": {
        "ID": "SGML",
        "GlossDef": {
            "int": 1123456,
            "null": null,
            "intArray": [1,2,3],
            "mixedArray": ["123",123,true,null],
            "boolean": true,
            "title": "example glossary",
            "GlossSeeAlso": ["GML","XML"]},
        "GlossSee": "markup"}}}},
  "a.b": {"c": 1}})";

struct Doc {
  rapidjson::Document document, scratch;
  Doc() { document.Parse(kGlossary); }
  const rapidjson::Value* operator()(const char* path) {
    return select_json(document, path, scratch);
  }
};

}  // namespace

// The JsonSelector case of k6's TestResponse, one check per selector (8 cases).
TEST_CASE("select_json: k6's TestResponse/JsonSelector table") {
  Doc select;
  const char* def = "glossary.GlossDiv.GlossList.GlossEntry.GlossDef.";
  auto v = select("glossary.friends.1");
  REQUIRE(v);
  REQUIRE(v->IsObject());
  CHECK(std::string((*v)["first"].GetString()) == "Roger");
  CHECK(select("glossary.int1") == nullptr);
  // k6 asserts `value != null` fails, which undefined passes too: nil in Lua.
  CHECK(select("glossary.null") == nullptr);
  v = select((std::string(def) + "intArray.#").c_str());
  REQUIRE(v);
  CHECK(v->GetUint() == 3);
  v = select((std::string(def) + "intArray").c_str());
  REQUIRE(v);
  CHECK((*v)[2].GetInt() == 3);
  v = select((std::string(def) + "boolean").c_str());
  REQUIRE(v);
  CHECK(v->GetBool());
  v = select((std::string(def) + "title").c_str());
  REQUIRE(v);
  CHECK(std::string(v->GetString()) == "example glossary");
  v = select("glossary.friends.#.first");
  REQUIRE(v);
  REQUIRE(v->Size() == 3);
  CHECK(std::string((*v)[0].GetString()) == "Dale");
}

TEST_CASE("select_json: wildcards, escapes, indexes out of range and what is not in the subset") {
  Doc select;
  auto v = select("glossary.GlossDiv.GlossList.GlossEntry.GlossDef.null");
  REQUIRE(v);
  CHECK(v->IsNull());
  v = select("glossary.Gloss*.title");
  REQUIRE(v);
  CHECK(std::string(v->GetString()) == "S");
  v = select("glossary.friends.0.f?rst");
  REQUIRE(v);
  CHECK(std::string(v->GetString()) == "Dale");
  v = select("a\\.b.c");
  REQUIRE(v);
  CHECK(v->GetInt() == 1);
  CHECK(select("a.b.c") == nullptr);
  CHECK(select("glossary.friends.3") == nullptr);
  CHECK(select("glossary.friends.-1") == nullptr);
  CHECK(select("glossary.friends.x") == nullptr);
  CHECK(select("glossary.friends.#(last==\"Murphy\").first") == nullptr);
  CHECK(select("@reverse") == nullptr);
  CHECK(select("") == nullptr);
  v = select("glossary.friends.#.age");
  REQUIRE(v);
  CHECK((*v)[2].GetInt() == 47);
  v = select("glossary.friends.#.missing");
  REQUIRE(v);
  CHECK(v->Size() == 0);
}
