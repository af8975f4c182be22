#include "tools/hotel-mock/json.hpp"

#include <rapidjson/error/en.h>

#include <fmt/format.h>

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
  document.Parse(body.data(), body.size());
  if (!document.HasParseError()) return true;
  error =
      fmt::format("malformed JSON: {} at offset {}",
                  rapidjson::GetParseError_En(document.GetParseError()), document.GetErrorOffset());
  return false;
}

}  // namespace lueng::hotel_mock
