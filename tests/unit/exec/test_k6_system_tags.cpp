// k6's metrics/system_tag_test.go, ported case by case (docs/from-k6.md): a
// system tag set from JSON (options.systemTags) and from text (--system-tags,
// K6_SYSTEM_TAGS).
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "engine/exec/system_tags.hpp"

using namespace lueng::exec;

namespace {

constexpr uint32_t bits(std::initializer_list<SystemTag> tags) {
  uint32_t out = 0;
  for (SystemTag tag : tags) out |= static_cast<uint32_t>(tag);
  return out;
}

}  // namespace

TEST_CASE("k6 TestSystemTagSet_UnmarshalJSON: two lists", "[k6]") {
  auto from_json = [](const char* list) {
    rapidjson::Document options;
    options.Parse((std::string(R"({"systemTags": )") + list + "}").c_str());
    REQUIRE_FALSE(options.HasParseError());
    auto tags = read_system_tags(options, nullptr);
    REQUIRE(tags);
    return tags->bits();
  };
  CHECK(from_json("[]") == 0);
  CHECK(from_json(R"(["ip", "proto"])") == bits({SystemTag::kIp, SystemTag::kProto}));
}

TEST_CASE("k6 TestSystemTagSetTextUnmarshal: six texts", "[k6]") {
  const uint32_t ip_proto = bits({SystemTag::kIp, SystemTag::kProto});
  const std::pair<const char*, uint32_t> cases[] = {
      {"", 0},
      {"ip", bits({SystemTag::kIp})},
      {"ip,proto", ip_proto},
      {"   ip  ,  proto  ", ip_proto},
      {"   ip  ,   ,  proto  ", ip_proto},
      {"   ip  ,,  proto  ,,", ip_proto},
  };
  for (const auto& [text, expected] : cases) {
    INFO("'" << text << "'");
    std::vector<std::string> unknown;
    CHECK(system_tags_of_text(text, &unknown).bits() == expected);
    CHECK(unknown.empty());
  }
  // Beyond k6's table: k6's `""` for none, and a name that is no system tag.
  CHECK(system_tags_of_text("\"\"", nullptr).bits() == 0);
  std::vector<std::string> unknown;
  CHECK(system_tags_of_text("status,custom", &unknown).bits() == bits({SystemTag::kStatus}));
  CHECK(unknown == std::vector<std::string>{"custom"});
}
