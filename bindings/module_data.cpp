// require "lueng.data": CSV, JSON and line files loaded once per process and
// shared read-only by every worker and VU (data_sets.hpp), read through light
// proxies, plus the global open(path) for a file's text (docs/lua-api.md).
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bindings/data_sets.hpp"
#include "bindings/lua_random.hpp"
#include "bindings/modules.hpp"
#include "bindings/script_state.hpp"
#include "engine/common/json_parse.hpp"
#include "engine/common/text_file.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::bindings {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRowsType = "lueng.data.rows";
constexpr const char* kRowType = "lueng.data.row";
constexpr const char* kJsonType = "lueng.data.json";

// Its address is the error value that ends an iteration whose scenario a unique
// pick stopped (is_scenario_stop).
const char kScenarioStop = 0;

// ---- finding and loading files

// The folders a data path is looked up in, in order: the script's folder, then
// the module path as require searches it (a template "/x/?.lua" counts as /x).
std::vector<fs::path> search_dirs(const ScriptSource& source) {
  std::vector<fs::path> dirs;
  fs::path script_dir = fs::path(source.path).parent_path();
  dirs.push_back(script_dir.empty() ? "." : script_dir);
  for (const std::string& entry : source.module_dirs) {
    fs::path dir = entry;
    if (size_t mark = entry.find('?'); mark != std::string::npos)
      dir = fs::path(entry.substr(0, mark)).parent_path();
    if (!dir.empty() && std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
  }
  return dirs;
}

// The file `path` names, as found: never relative to the current directory.
std::string resolve(lua_State* L, const char* fn, const std::string& path) {
  ScriptState* state = script_state_of(L);
  if (!state) throw DataError(std::string(fn) + ": this Lua state has no script");
  std::error_code error;
  if (fs::path(path).is_absolute()) return path;
  std::string looked;
  for (const fs::path& dir : search_dirs(state->source())) {
    fs::path candidate = dir / path;
    if (fs::is_regular_file(candidate, error)) return candidate.lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + dir.string();
  }
  throw DataError(std::string(fn) + ": cannot find '" + path +
                  "' (looked in the script's folder and the module path: " + looked + ")");
}

std::string read_file(const char* fn, const std::string& path) {
  std::optional<std::string> text = read_text_file(path);
  if (!text) throw DataError(std::string(fn) + ": " + path + ": " + std::strerror(errno));
  return std::move(*text);
}

// The cache key of a file: its canonical path (two spellings, one data set).
std::string file_key(const char* kind, const std::string& path) {
  std::error_code error;
  fs::path canonical = fs::canonical(path, error);
  return std::string(kind) + '\0' + (error ? path : canonical.string());
}

size_t line_at(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// Calls `body`, turning a DataError into a Lua error with the caller's place.
template <typename Body>
int guarded(lua_State* L, Body body) {
  std::string message;
  try {
    return body();
  } catch (const DataError& error) {
    message = error.what();
  }
  luaL_where(L, 1);
  lua_pushlstring(L, message.data(), message.size());
  lua_concat(L, 2);
  return lua_error(L);
}

// ---- proxies

struct RowsProxy {
  const DataSet* set;
  bool lines;  // data.lines: an element is a string, not a row
};

struct RowProxy {
  const TextTable* table;
  size_t row;
};

struct JsonProxy {
  const DataSet* set;
  const rapidjson::Value* value;
};

void push_cell(lua_State* L, const TextTable& table, size_t row, size_t column) {
  std::string_view cell = table.cell(row, column);
  ColumnType type = table.type(column);
  if (type == ColumnType::kString)
    lua_pushlstring(L, cell.data(), cell.size());
  else if (cell.empty())
    lua_pushnil(L);
  else if (type == ColumnType::kNumber)
    lua_pushnumber(L, *parse_number_cell(cell));  // checked at load
  else
    lua_pushboolean(L, *parse_boolean_cell(cell));
}

void push_json(lua_State* L, const DataSet& set, const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      lua_pushnil(L);
      return;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      lua_pushboolean(L, value.GetBool());
      return;
    case rapidjson::kNumberType:
      lua_pushnumber(L, value.GetDouble());
      return;
    case rapidjson::kStringType:
      lua_pushlstring(L, value.GetString(), value.GetStringLength());
      return;
    default:
      *static_cast<JsonProxy*>(lua_newuserdata(L, sizeof(JsonProxy))) = {&set, &value};
      luaL_getmetatable(L, kJsonType);
      lua_setmetatable(L, -2);
  }
}

// A proxy whose elements are numbered 1..length: rows, lines, a JSON array.
struct Sequence {
  size_t length = 0;
  const DataSet* set = nullptr;
  const RowsProxy* rows = nullptr;
  const JsonProxy* json = nullptr;

  // Element i, 1-based and in range.
  void push(lua_State* L, size_t i) const {
    if (json) return push_json(L, *set, (*json->value)[static_cast<rapidjson::SizeType>(i - 1)]);
    if (rows->lines) {
      std::string_view line = set->table.cell(i - 1, 0);
      lua_pushlstring(L, line.data(), line.size());
      return;
    }
    *static_cast<RowProxy*>(lua_newuserdata(L, sizeof(RowProxy))) = {&set->table, i - 1};
    luaL_getmetatable(L, kRowType);
    lua_setmetatable(L, -2);
  }
};

bool has_metatable(lua_State* L, int index, const char* type) {
  if (!lua_getmetatable(L, index)) return false;
  luaL_getmetatable(L, type);
  bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

Sequence check_sequence(lua_State* L, int index) {
  Sequence sequence;
  if (has_metatable(L, index, kRowsType)) {
    sequence.rows = static_cast<const RowsProxy*>(lua_touserdata(L, index));
    sequence.set = sequence.rows->set;
    sequence.length = sequence.set->table.rows();
  } else if (has_metatable(L, index, kJsonType) &&
             static_cast<const JsonProxy*>(lua_touserdata(L, index))->value->IsArray()) {
    sequence.json = static_cast<const JsonProxy*>(lua_touserdata(L, index));
    sequence.set = sequence.json->set;
    sequence.length = sequence.json->value->Size();
  } else {
    luaL_argerror(L, index, "lueng.data rows or a JSON array expected (call it as rows:pick())");
  }
  return sequence;
}

bool element_index(lua_State* L, int index, size_t length, size_t* i) {
  if (lua_type(L, index) != LUA_TNUMBER) return false;
  double n = lua_tonumber(L, index);
  if (!(n >= 1 && n <= static_cast<double>(length)) || n != static_cast<double>(size_t(n)))
    return false;
  *i = static_cast<size_t>(n);
  return true;
}

// ---- picks: which element an iteration uses

const char* basename_of(const DataSet& set) {
  size_t slash = set.path.rfind('/');
  return set.path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
}

int pick_at(lua_State* L, const Sequence& sequence, const char* pick, int64_t index) {
  if (sequence.length == 0)
    return luaL_error(L, "rows:%s(): %s has no rows", pick, basename_of(*sequence.set));
  sequence.push(L, static_cast<size_t>(index % static_cast<int64_t>(sequence.length)) + 1);
  return 1;
}

// rows:unique([{ exhausted = "error" | "wrap" | "stop" }]): the element of this
// iteration, unique over the whole test (lueng.scenario.iteration_in_test).
int pick_unique(lua_State* L) {
  Sequence sequence = check_sequence(L, 1);
  exec::Vu& vu = running_vu(L, "rows:unique()");
  std::string exhausted = "error";
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "exhausted");
    if (!lua_isnil(L, -1)) exhausted = luaL_checkstring(L, -1);
    lua_pop(L, 1);
    if (exhausted != "error" && exhausted != "wrap" && exhausted != "stop")
      return luaL_error(L, "rows:unique(): exhausted must be \"error\", \"wrap\" or \"stop\"");
  }
  int64_t iteration = vu.iteration_in_test();
  if (iteration < static_cast<int64_t>(sequence.length) || exhausted == "wrap")
    return pick_at(L, sequence, "unique", iteration);
  if (exhausted == "stop" && !vu.runs_a_hook()) {
    vu.stop_scenario();
    lua_pushlightuserdata(L, const_cast<char*>(&kScenarioStop));
    return lua_error(L);
  }
  return luaL_error(L,
                    "rows:unique(): the %d rows of %s ran out at iteration %d of the test; "
                    "run at most that many iterations, or pass { exhausted = \"wrap\" } or "
                    "{ exhausted = \"stop\" }",
                    static_cast<int>(sequence.length), basename_of(*sequence.set),
                    static_cast<int>(iteration));
}

// rows:circular(): unique over the test, starting over after the last.
int pick_circular(lua_State* L) {
  Sequence sequence = check_sequence(L, 1);
  return pick_at(L, sequence, "circular", running_vu(L, "rows:circular()").iteration_in_test());
}

// rows:per_vu(): the VU's own element, the same in every iteration (VU n: n-th).
int pick_per_vu(lua_State* L) {
  Sequence sequence = check_sequence(L, 1);
  exec::Vu& vu = running_vu(L, "rows:per_vu()");
  return pick_at(L, sequence, "per_vu", static_cast<int64_t>(vu.id()) - 1);
}

// rows:random(): drawn with the VU's math.random (upvalue 1), so the run seed
// repeats the picks.
int pick_random(lua_State* L) {
  Sequence sequence = check_sequence(L, 1);
  if (sequence.length == 0)
    return luaL_error(L, "rows:random(): %s has no rows", basename_of(*sequence.set));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushnumber(L, static_cast<double>(sequence.length));
  lua_call(L, 1, 1);
  size_t i = static_cast<size_t>(lua_tonumber(L, -1));
  sequence.push(L, std::clamp<size_t>(i, 1, sequence.length));
  return 1;
}

int iterate_next(lua_State* L) {
  Sequence sequence = check_sequence(L, 1);
  size_t i = static_cast<size_t>(luaL_checknumber(L, 2)) + 1;
  if (i > sequence.length) return 0;
  lua_pushnumber(L, static_cast<double>(i));
  sequence.push(L, i);
  return 2;
}

// rows:iter(): for i, row in rows:iter() do ... end; ipairs(rows) gives the same
// (wrap_ipairs).
int iterate(lua_State* L) {
  check_sequence(L, 1);
  lua_pushcfunction(L, iterate_next);
  lua_pushvalue(L, 1);
  lua_pushnumber(L, 0);
  return 3;
}

// ipairs(t) where lueng.data is loaded (upvalue-free: the original ipairs is
// argument 2): rows and JSON arrays iterate as rows:iter(), anything else as before.
int data_ipairs(lua_State* L) {
  if (has_metatable(L, 1, kRowsType) || has_metatable(L, 1, kJsonType)) return iterate(L);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 3);
  return 3;
}

// LuaJIT's ipairs takes tables only and honours no __ipairs, so loading
// lueng.data wraps the global once per state. Tables still go straight to the
// original ipairs, whose loops the JIT compiles as before.
void wrap_ipairs(lua_State* L) {
  static const char kWrapped = 0;
  lua_pushlightuserdata(L, const_cast<char*>(&kWrapped));
  lua_rawget(L, LUA_REGISTRYINDEX);
  bool done = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (done) return;
  const char* code =
      "local raw_ipairs, data_ipairs = ...\n"
      "ipairs = function(t)\n"
      "  if type(t) == 'userdata' then return data_ipairs(t, raw_ipairs) end\n"
      "  return raw_ipairs(t)\n"
      "end\n";
  if (luaL_loadbuffer(L, code, std::strlen(code), "=lueng.data") != 0) lua_error(L);
  lua_getglobal(L, "ipairs");
  lua_pushcfunction(L, data_ipairs);
  lua_call(L, 2, 0);
  lua_pushlightuserdata(L, const_cast<char*>(&kWrapped));
  lua_pushboolean(L, 1);
  lua_rawset(L, LUA_REGISTRYINDEX);
}

// rows:header(): the column names, a new array.
int header(lua_State* L) {
  auto* rows = static_cast<const RowsProxy*>(luaL_checkudata(L, 1, kRowsType));
  const auto& names = rows->set->table.header();
  lua_createtable(L, static_cast<int>(names.size()), 0);
  for (size_t i = 0; i < names.size(); ++i) {
    lua_pushlstring(L, names[i].data(), names[i].size());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  return 1;
}

// ---- metamethods

// Methods of rows and JSON arrays, found by name (upvalue 1 of __index).
int rows_index(lua_State* L) {
  Sequence sequence = check_sequence(L, 1);
  size_t i;
  if (element_index(L, 2, sequence.length, &i)) {
    sequence.push(L, i);
  } else if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
  } else {
    lua_pushnil(L);
  }
  return 1;
}

int sequence_length(lua_State* L) {
  lua_pushnumber(L, static_cast<double>(check_sequence(L, 1).length));
  return 1;
}

int rows_tostring(lua_State* L) {
  auto* rows = static_cast<const RowsProxy*>(luaL_checkudata(L, 1, kRowsType));
  lua_pushfstring(L, "lueng.data %s (%d rows of %s)", rows->lines ? "lines" : "rows",
                  static_cast<int>(rows->set->table.rows()), basename_of(*rows->set));
  return 1;
}

int row_index(lua_State* L) {
  auto* row = static_cast<const RowProxy*>(luaL_checkudata(L, 1, kRowType));
  const TextTable& table = *row->table;
  size_t column;
  if (element_index(L, 2, table.columns(), &column)) {
    push_cell(L, table, row->row, column - 1);
  } else if (lua_type(L, 2) == LUA_TSTRING) {
    size_t length;
    const char* name = lua_tolstring(L, 2, &length);
    std::optional<size_t> found = table.column_of({name, length});
    if (found)
      push_cell(L, table, row->row, *found);
    else
      lua_pushnil(L);
  } else {
    lua_pushnil(L);
  }
  return 1;
}

int row_length(lua_State* L) {
  auto* row = static_cast<const RowProxy*>(luaL_checkudata(L, 1, kRowType));
  lua_pushnumber(L, static_cast<double>(row->table->columns()));
  return 1;
}

int json_index(lua_State* L) {
  auto* proxy = static_cast<const JsonProxy*>(luaL_checkudata(L, 1, kJsonType));
  const rapidjson::Value& value = *proxy->value;
  if (value.IsArray()) return rows_index(L);  // the same upvalue: the methods
  size_t length;
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &length) : nullptr;
  if (!key) {
    lua_pushnil(L);
    return 1;
  }
  auto member = value.FindMember(rapidjson::Value(rapidjson::StringRef(key, length)));
  if (member == value.MemberEnd())
    lua_pushnil(L);
  else
    push_json(L, *proxy->set, member->value);
  return 1;
}

int json_length(lua_State* L) {
  auto* proxy = static_cast<const JsonProxy*>(luaL_checkudata(L, 1, kJsonType));
  lua_pushnumber(L, proxy->value->IsArray() ? static_cast<double>(proxy->value->Size()) : 0);
  return 1;
}

// Makes the three metatables; the methods table is __index's upvalue.
void register_proxy_types(lua_State* L) {
  if (!luaL_newmetatable(L, kRowsType)) {
    lua_pop(L, 1);
    return;
  }
  lua_newtable(L);  // methods
  const luaL_Reg methods[] = {{"unique", pick_unique}, {"circular", pick_circular},
                              {"per_vu", pick_per_vu}, {"perVu", pick_per_vu},
                              {"iter", iterate},       {"header", header},
                              {nullptr, nullptr}};
  luaL_register(L, nullptr, methods);
  lua_getglobal(L, "math");
  lua_getfield(L, -1, "random");  // lueng's, installed before any module opens
  lua_remove(L, -2);
  lua_pushcclosure(L, pick_random, 1);
  lua_setfield(L, -2, "random");
  int methods_index = lua_gettop(L);

  lua_pushvalue(L, methods_index);
  lua_pushcclosure(L, rows_index, 1);
  lua_setfield(L, -3, "__index");
  lua_pushcfunction(L, sequence_length);
  lua_setfield(L, -3, "__len");
  lua_pushcfunction(L, rows_tostring);
  lua_setfield(L, -3, "__tostring");
  lua_pushliteral(L, "lueng.data");
  lua_setfield(L, -3, "__metatable");

  luaL_newmetatable(L, kJsonType);
  lua_pushvalue(L, methods_index);
  lua_pushcclosure(L, json_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, json_length);
  lua_setfield(L, -2, "__len");
  lua_pushliteral(L, "lueng.data");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);

  luaL_newmetatable(L, kRowType);
  lua_pushcfunction(L, row_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, row_length);
  lua_setfield(L, -2, "__len");
  lua_pushliteral(L, "lueng.data");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 3);  // row metatable, methods, rows metatable
}

// ---- loaders

CsvOptions read_csv_options(lua_State* L, int index, std::string* key) {
  CsvOptions options;
  if (lua_isnoneornil(L, index)) return options;
  luaL_checktype(L, index, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, index)) {
    std::string name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
    if (name == "header") {
      options.header = lua_toboolean(L, -1);
    } else if (name == "separator") {
      size_t length = 0;
      const char* text = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &length) : "";
      if (length != 1 || text[0] == '"' || text[0] == '\n' || text[0] == '\r')
        luaL_error(L, "data.csv: separator must be one character (not a quote or line break)");
      options.separator = text[0];
    } else if (name == "types") {
      luaL_checktype(L, -1, LUA_TTABLE);
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        std::string type = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
        ColumnType column_type = type == "number"    ? ColumnType::kNumber
                                 : type == "boolean" ? ColumnType::kBoolean
                                                     : ColumnType::kString;
        if (type != "number" && type != "boolean" && type != "string")
          luaL_error(L, "data.csv: types: a type is \"number\", \"boolean\" or \"string\"");
        if (lua_type(L, -2) == LUA_TNUMBER)
          options.types_by_position.emplace_back(static_cast<size_t>(lua_tonumber(L, -2)),
                                                 column_type);
        else
          options.types_by_name.emplace_back(luaL_checkstring(L, -2), column_type);
        lua_pop(L, 1);
      }
    } else {
      luaL_error(L, "data.csv: unknown option '%s' (header, separator, types)", name.c_str());
    }
    lua_pop(L, 1);
  }
  // The key: the same options in any order load once.
  std::sort(options.types_by_name.begin(), options.types_by_name.end());
  std::sort(options.types_by_position.begin(), options.types_by_position.end());
  *key += options.header ? "h" : "-";
  *key += options.separator;
  for (const auto& [name, type] : options.types_by_name)
    *key += '\0' + name + '=' + std::to_string(static_cast<int>(type));
  for (const auto& [position, type] : options.types_by_position)
    *key += '\0' + std::to_string(position) + '=' + std::to_string(static_cast<int>(type));
  return options;
}

void push_rows(lua_State* L, const DataSet& set, bool lines) {
  register_proxy_types(L);
  *static_cast<RowsProxy*>(lua_newuserdata(L, sizeof(RowsProxy))) = {&set, lines};
  luaL_getmetatable(L, kRowsType);
  lua_setmetatable(L, -2);
}

int data_csv(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  std::string option_key;
  CsvOptions options = read_csv_options(L, 2, &option_key);
  return guarded(L, [&] {
    std::string file = resolve(L, "data.csv", path);
    const DataSet& set =
        shared_data_set(file_key("csv", file) + '\0' + option_key, [&](DataSet& loaded) {
          loaded.path = file;
          TableError error;
          auto table = TextTable::from_csv_file(file, options, &error);
          if (!table)
            throw DataError("data.csv: " + file +
                            (error.line ? ":" + std::to_string(error.line) : "") + ": " +
                            error.message);
          loaded.table = std::move(*table);
        });
    push_rows(L, set, false);
    return 1;
  });
}

int data_lines(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  return guarded(L, [&] {
    std::string file = resolve(L, "data.lines", path);
    const DataSet& set = shared_data_set(file_key("lines", file), [&](DataSet& loaded) {
      loaded.path = file;
      std::string text = read_file("data.lines", file);
      if (text.size() > UINT32_MAX)
        throw DataError("data.lines: " + file +
                        ": larger than 4 GiB, which lueng.data does not load");
      loaded.table = TextTable::from_lines(text);
    });
    push_rows(L, set, true);
    return 1;
  });
}

int data_json(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  return guarded(L, [&] {
    std::string file = resolve(L, "data.json", path);
    const DataSet& set = shared_data_set(file_key("json", file), [&](DataSet& loaded) {
      loaded.path = file;
      std::string text = read_file("data.json", file);
      JsonParseError error;
      if (!parse_json_bounded(text, loaded.json, &error))
        throw DataError("data.json: " + file + ":" + std::to_string(line_at(text, error.offset)) +
                        ": " + error.what);
    });
    register_proxy_types(L);
    push_json(L, set, set.json);
    return 1;
  });
}

}  // namespace

int data_open(lua_State* L) {
  std::string path = luaL_checkstring(L, 1);
  return guarded(L, [&] {
    std::string file = resolve(L, "open", path);
    const DataSet& set = shared_data_set(file_key("text", file), [&](DataSet& loaded) {
      loaded.path = file;
      loaded.text = read_file("open", file);
    });
    lua_pushlstring(L, set.text.data(), set.text.size());
    return 1;
  });
}

bool is_scenario_stop(lua_State* L, int index) {
  return lua_islightuserdata(L, index) && lua_touserdata(L, index) == &kScenarioStop;
}

int open_data(lua_State* L) {
  const luaL_Reg functions[] = {{"csv", data_csv},
                                {"json", data_json},
                                {"lines", data_lines},
                                {"open", data_open},
                                {nullptr, nullptr}};
  register_proxy_types(L);
  wrap_ipairs(L);
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  return 1;
}

}  // namespace lueng::bindings
