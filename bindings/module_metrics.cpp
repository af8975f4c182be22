// require "lueng.metrics": custom Counter, Gauge, Rate and Trend metrics.
//
// Metrics are declared in the script's top-level code. The init run of the
// script (before any worker starts) registers them in the run's catalog; every
// worker's state then finds the same ids there, so workers share the catalog
// read-only and samples of custom metrics cost what built-in ones cost.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "bindings/lua_tags.hpp"
#include "bindings/metric_catalog_access.hpp"
#include "bindings/modules.hpp"
#include "engine/common/text.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::bindings {

namespace {

constexpr const char* kMetricType = "lueng.Metric";
constexpr const char* kCatalogKey = "lueng.catalog";
constexpr const char* kWritableKey = "lueng.catalog_writable";

struct LuaMetric {
  metrics::MetricId id;
  metrics::MetricType type;
};

LuaMetric& check_metric(lua_State* L) {
  return *static_cast<LuaMetric*>(luaL_checkudata(L, 1, kMetricType));
}

void set_catalog(lua_State* L, metrics::MetricCatalog* catalog, bool may_add) {
  lua_pushlightuserdata(L, catalog);
  lua_setfield(L, LUA_REGISTRYINDEX, kCatalogKey);
  lua_pushboolean(L, may_add);
  lua_setfield(L, LUA_REGISTRYINDEX, kWritableKey);
}

metrics::MetricCatalog* catalog_of(lua_State* L, bool* writable) {
  lua_getfield(L, LUA_REGISTRYINDEX, kCatalogKey);
  auto* catalog = static_cast<metrics::MetricCatalog*>(lua_touserdata(L, -1));
  lua_getfield(L, LUA_REGISTRYINDEX, kWritableKey);
  *writable = lua_toboolean(L, -1);
  lua_pop(L, 2);
  return catalog;
}

double sample_value(lua_State* L, const LuaMetric& metric) {
  if (lua_type(L, 2) == LUA_TBOOLEAN) return lua_toboolean(L, 2) ? 1 : 0;
  // A string that reads as a number counts as that number, as k6's add()
  // converts it ("5.3" is 5.3; blank is 0, as JavaScript's Number("") is).
  if (lua_type(L, 2) == LUA_TSTRING) {
    std::string_view text = trim_whitespace(lua_tostring(L, 2));
    if (text.empty()) return 0;
  }
  if (!lua_isnumber(L, 2))
    luaL_error(L, "%s.add: the value must be a number%s", metrics::metric_type_name(metric.type),
               metric.type == metrics::MetricType::kRate ? " or a boolean" : "");
  double value = lua_tonumber(L, 2);
  // NaN or an infinity would stick in every sum and average, and has no JSON form.
  if (!std::isfinite(value))
    luaL_error(L, "%s.add: the value must be a finite number, not %s",
               metrics::metric_type_name(metric.type),
               std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf"));
  return value;
}

int metric_add(lua_State* L) {
  LuaMetric& metric = check_metric(L);
  exec::Vu& vu = running_vu(L, "metric:add");
  double value = sample_value(L, metric);
  static thread_local TagTableReader tag_reader;
  static thread_local const TagViews no_tags;
  if (!lua_istable(L, 3) && !lua_isnoneornil(L, 3))
    return luaL_error(L, "metric:add: tags must be a table of name = value");
  vu.record_custom(metric.id, value,
                   lua_istable(L, 3) ? tag_reader.read(L, 3, "metric:add") : no_tags);
  return 0;
}

int metric_index(lua_State* L) {
  LuaMetric& metric = check_metric(L);
  std::string_view key = luaL_checkstring(L, 2);
  if (key == "add") {
    lua_pushcfunction(L, metric_add);
  } else if (key == "name") {
    bool writable;
    metrics::MetricCatalog* catalog = catalog_of(L, &writable);
    lua_pushstring(L, catalog ? catalog->def(metric.id).name.c_str() : "");
  } else if (key == "type") {
    lua_pushstring(L, metrics::metric_type_name(metric.type));
  } else {
    lua_pushnil(L);
  }
  return 1;
}

// Counter(name), Gauge(name), Rate(name), Trend(name[, is_time])
int create_metric(lua_State* L, metrics::MetricType type, const char* constructor) {
  std::string name = luaL_checkstring(L, 1);
  bool is_time = type == metrics::MetricType::kTrend && lua_toboolean(L, 2);
  if (exec::Vu::running())
    return luaL_error(L, "%s('%s'): metrics must be created in the script's top-level code",
                      constructor, name.c_str());
  bool writable;
  metrics::MetricCatalog* catalog = catalog_of(L, &writable);
  if (!catalog) return luaL_error(L, "%s: metrics cannot be created here", constructor);
  std::string error;
  std::optional<metrics::MetricId> id;
  if (writable) {
    id = catalog->add(name, type, is_time, &error);
  } else {
    id = catalog->find(name);
    if (id && (catalog->def(*id).type != type || catalog->def(*id).is_time != is_time))
      error = "metric '" + name + "' already exists as a " +
              metrics::metric_type_name(catalog->def(*id).type);
    else if (!id)
      error = "metric '" + name + "' was not created when the script was first loaded";
  }
  if (!error.empty()) return luaL_error(L, "%s: %s", constructor, error.c_str());
  auto* metric = static_cast<LuaMetric*>(lua_newuserdata(L, sizeof(LuaMetric)));
  *metric = {*id, type};
  luaL_getmetatable(L, kMetricType);
  lua_setmetatable(L, -2);
  return 1;
}

int new_counter(lua_State* L) {
  return create_metric(L, metrics::MetricType::kCounter, "Counter");
}
int new_gauge(lua_State* L) {
  return create_metric(L, metrics::MetricType::kGauge, "Gauge");
}
int new_rate(lua_State* L) {
  return create_metric(L, metrics::MetricType::kRate, "Rate");
}
int new_trend(lua_State* L) {
  return create_metric(L, metrics::MetricType::kTrend, "Trend");
}

}  // namespace

void allow_metric_creation(lua_State* L, metrics::MetricCatalog& catalog) {
  set_catalog(L, &catalog, true);
}

void use_metric_catalog(lua_State* L, const metrics::MetricCatalog& catalog) {
  set_catalog(L, const_cast<metrics::MetricCatalog*>(&catalog), false);  // never written
}

int open_metrics(lua_State* L) {
  if (luaL_newmetatable(L, kMetricType)) {
    lua_pushcfunction(L, metric_index);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  const luaL_Reg constructors[] = {{"Counter", new_counter},
                                   {"Gauge", new_gauge},
                                   {"Rate", new_rate},
                                   {"Trend", new_trend},
                                   {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, constructors);
  return 1;
}

}  // namespace lueng::bindings
