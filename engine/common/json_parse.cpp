#include "engine/common/json_parse.hpp"

#include <string>

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace lueng {

namespace {

// Hands every SAX event on to the document being built, counting how deep the
// open arrays and objects are and stopping the parse when they pass the limit.
class DepthLimitedHandler {
 public:
  explicit DepthLimitedHandler(rapidjson::Document& document) : document_(document) {}

  bool Null() { return document_.Null(); }
  bool Bool(bool b) { return document_.Bool(b); }
  bool Int(int i) { return document_.Int(i); }
  bool Uint(unsigned i) { return document_.Uint(i); }
  bool Int64(int64_t i) { return document_.Int64(i); }
  bool Uint64(uint64_t i) { return document_.Uint64(i); }
  bool Double(double d) { return document_.Double(d); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) {
    return document_.RawNumber(text, length, copy);
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

 private:
  bool enter() {
    too_deep_ = ++depth_ > kMaxJsonDepth;
    return !too_deep_;
  }

  rapidjson::Document& document_;
  int depth_ = 0;
  bool too_deep_ = false;
};

std::string describe(rapidjson::ParseErrorCode code) {
  std::string what = rapidjson::GetParseError_En(code);
  if (!what.empty() && what.back() == '.') what.pop_back();
  return what;
}

}  // namespace

bool parse_json_bounded(std::string_view text, rapidjson::Document& document,
                        JsonParseError* error) {
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;
  // As Document::Parse(text, length) reads: a UTF-8 stream over exactly these bytes
  // (NUL bytes included), a leading byte order mark skipped.
  rapidjson::MemoryStream memory(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(memory);
  rapidjson::Reader reader;
  bool too_deep = false;
  auto generate = [&](rapidjson::Document& target) {
    DepthLimitedHandler handler(target);
    reader.Parse<kFlags>(stream, handler);
    too_deep = handler.too_deep();
    return !reader.HasParseError();
  };
  document.SetNull();
  document.Populate(generate);
  if (!reader.HasParseError()) return true;
  if (error) {
    // When the handler stops the parse, the reader's offset is that of the
    // opening bracket that went over.
    error->what = too_deep ? "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"
                           : describe(reader.GetParseErrorCode());
    error->offset = reader.GetErrorOffset();
  }
  return false;
}

}  // namespace lueng
