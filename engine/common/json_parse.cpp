#include "engine/common/json_parse.hpp"

#include <locale.h>
#include <stdlib.h>

#include <charconv>
#include <cmath>
#include <string>

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace lueng {

namespace {

// Hands every SAX event on to the document being built, counting how deep the
// open arrays and objects are and stopping the parse when they pass the limit.
// Numbers come as text and are converted here: RapidJSON 1.1.0's conversion is
// wrong in places (its full precision mode read "0e80" as 1.4e-135 and
// "0.000e300" as 1.5e82, counting the leading zero bits of 0); std::from_chars
// and strtod are correctly rounded.
class BoundedHandler {
 public:
  explicit BoundedHandler(rapidjson::Document& document) : document_(document) {}

  bool Null() { return document_.Null(); }
  bool Bool(bool b) { return document_.Bool(b); }
  bool Int(int i) { return document_.Int(i); }
  bool Uint(unsigned i) { return document_.Uint(i); }
  bool Int64(int64_t i) { return document_.Int64(i); }
  bool Uint64(uint64_t i) { return document_.Uint64(i); }
  bool Double(double d) { return document_.Double(d); }
  // `text` is JSON number syntax (checked by the reader) followed by a NUL.
  // Whole numbers within 64 bits become integers, as RapidJSON makes them,
  // everything else the nearest double; beyond a double's range, an error.
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    const char* end = text + length;
    if (std::string_view(text, length).find_first_of(".eE") == std::string_view::npos) {
      if (text[0] == '-') {
        int64_t value;
        auto [stop, error] = std::from_chars(text, end, value);
        if (error == std::errc() && stop == end) return document_.Int64(value);
      } else {
        uint64_t value;
        auto [stop, error] = std::from_chars(text, end, value);
        if (error == std::errc() && stop == end) return document_.Uint64(value);
      }
    }
    double value;
    auto [stop, error] = std::from_chars(text, end, value);
    if (error == std::errc() && stop == end) return document_.Double(value);
    // Out of range: strtod tells overflow (an error) from underflow (0 or a
    // subnormal). In the C locale: a script's os.setlocale must not change the
    // decimal point.
    static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", nullptr);
    value = strtod_l(text, nullptr, c_locale);
    too_big_ = std::isinf(value);
    return !too_big_ && document_.Double(value);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    return document_.String(text, length, copy);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    return document_.Key(text, length, copy);
  }
  bool StartObject() { return enter() && document_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return document_.EndObject(members);
  }
  bool StartArray() { return enter() && document_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return document_.EndArray(elements);
  }

  bool too_deep() const { return too_deep_; }
  bool too_big() const { return too_big_; }

 private:
  bool enter() {
    too_deep_ = ++depth_ > kMaxJsonDepth;
    return !too_deep_;
  }

  rapidjson::Document& document_;
  int depth_ = 0;
  bool too_deep_ = false;
  bool too_big_ = false;
};

std::string describe(rapidjson::ParseErrorCode code) {
  std::string what = rapidjson::GetParseError_En(code);
  if (!what.empty() && what.back() == '.') what.pop_back();
  return what;
}

}  // namespace

bool parse_json_bounded(std::string_view text, rapidjson::Document& document,
                        JsonParseError* error) {
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  // As Document::Parse(text, length) reads: a UTF-8 stream over exactly these bytes
  // (NUL bytes included), a leading byte order mark skipped.
  rapidjson::MemoryStream memory(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(memory);
  rapidjson::Reader reader;
  rapidjson::ParseErrorCode handler_error = rapidjson::kParseErrorNone;
  auto generate = [&](rapidjson::Document& target) {
    BoundedHandler handler(target);
    reader.Parse<kFlags>(stream, handler);
    if (handler.too_big()) handler_error = rapidjson::kParseErrorNumberTooBig;
    if (handler.too_deep()) handler_error = rapidjson::kParseErrorTermination;
    return !reader.HasParseError();
  };
  document.SetNull();
  document.Populate(generate);
  if (!reader.HasParseError()) return true;
  if (error) {
    // When the handler stops the parse, the reader's offset is that of the
    // opening bracket that went over, or of the number too big.
    if (handler_error == rapidjson::kParseErrorTermination)
      error->what = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    else
      error->what = describe(
          handler_error != rapidjson::kParseErrorNone ? handler_error : reader.GetParseErrorCode());
    error->offset = reader.GetErrorOffset();
  }
  return false;
}

}  // namespace lueng
