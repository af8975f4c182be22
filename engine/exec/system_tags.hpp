#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace lueng::exec {

// k6's system tags, the tags lueng itself puts on samples, with k6's bits
// (metrics/system_tag.go).
enum class SystemTag : uint32_t {
  kProto = 1u << 0,
  kSubproto = 1u << 1,
  kStatus = 1u << 2,
  kMethod = 1u << 3,
  kUrl = 1u << 4,
  kName = 1u << 5,
  kGroup = 1u << 6,
  kCheck = 1u << 7,
  kError = 1u << 8,
  kErrorCode = 1u << 9,
  kTlsVersion = 1u << 10,
  kScenario = 1u << 11,
  kService = 1u << 12,
  kExpectedResponse = 1u << 13,
  kIter = 1u << 14,
  kVu = 1u << 15,
  kOcspStatus = 1u << 16,
  kIp = 1u << 17,
};

// Which system tags samples carry (options.systemTags, --system-tags), decided
// once before the test: the sample code tests a bit.
class SystemTags {
 public:
  // k6's default: all but vu, iter, ip and ocsp_status.
  static constexpr uint32_t kDefault = (1u << 14) - 1;

  SystemTags() = default;
  explicit SystemTags(uint32_t bits) : bits_(bits) {}
  bool has(SystemTag tag) const { return (bits_ & static_cast<uint32_t>(tag)) != 0; }
  uint32_t bits() const { return bits_; }
  // k6's names, in k6's order, comma-separated.
  std::string names() const;
  // The same as a list.
  std::vector<std::string> list() const;

 private:
  uint32_t bits_ = kDefault;
};

// The set of `names`; a name that is no system tag goes to `unknown` (k6 ignores
// it) and is left out.
SystemTags system_tags_of(const std::vector<std::string>& names, std::vector<std::string>* unknown);

// k6's text form (--system-tags, SystemTagSet.UnmarshalText): names separated by
// commas, blanks around them and empty items ignored, `""` (k6's none) too.
SystemTags system_tags_of_text(std::string_view text, std::vector<std::string>* unknown);

// options.systemTags, a list of names: nothing when absent (k6's default set).
// Throws ConfigError naming the option when it is not a list of strings; names
// that are no system tag go to `warnings`.
std::optional<SystemTags> read_system_tags(const rapidjson::Value& options,
                                           std::vector<std::string>* warnings);

}  // namespace lueng::exec
