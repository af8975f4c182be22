#pragma once

#include <lua.hpp>

#include "engine/metrics/metric.hpp"

namespace lueng::bindings {

// Tells require "lueng.metrics" in L which catalog its metrics live in; the
// catalog must outlive L. The init state of a run may add metrics; worker states
// only look them up, so the catalog stays read-only while workers run.
void allow_metric_creation(lua_State* L, metrics::MetricCatalog& catalog);
void use_metric_catalog(lua_State* L, const metrics::MetricCatalog& catalog);

}  // namespace lueng::bindings
