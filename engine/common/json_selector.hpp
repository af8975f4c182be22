#pragma once

#include <string_view>

#include <rapidjson/document.h>

namespace lueng {

// k6's res.json(selector): the part of a JSON document a GJSON path names, for
// the subset of GJSON's syntax k6 scripts use:
//   a.b.c      object keys, one per dot-separated component
//   a.0.b      an array element by index, from 0
//   a.#        the length of an array
//   a.#.b      the b of every element of array a that has one, as an array
//   a.*x / a.b?c   '*' (any run of characters) and '?' (one character) in a key:
//              the first key in document order that matches
//   a\.b       a key with a literal '.', '*' or '?' (escaped with '\')
// Anything else (queries #(...), modifiers @..., pipes |) names nothing. Null
// when the path names nothing; the result points into `root` or, for a.#.b and
// a.#, into `scratch`, whose allocator builds it.
const rapidjson::Value* select_json(const rapidjson::Value& root, std::string_view path,
                                    rapidjson::Document& scratch);

}  // namespace lueng
