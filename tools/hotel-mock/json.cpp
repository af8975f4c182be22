#include "tools/hotel-mock/json.hpp"

#include <fmt/format.h>

#include "engine/common/json_parse.hpp"

namespace lueng::hotel_mock {

Response error_response(int status, std::string_view message) {
  return json_response(status, [&](JsonWriter& w) {
    w.StartObject();
    write_key(w, "error");
    write_string(w, message);
    w.EndObject();
  });
}

bool parse_json(const std::string& body, rapidjson::Document& document, std::string& error) {
  JsonParseError parse_error;
  if (parse_json_bounded(body, document, &parse_error)) return true;
  error = fmt::format("malformed JSON: {} at offset {}", parse_error.what, parse_error.offset);
  return false;
}

}  // namespace lueng::hotel_mock
