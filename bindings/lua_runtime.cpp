// exec's script interfaces (engine/exec/script.hpp) over ScriptState.
#include "bindings/lua_runtime.hpp"

#include <optional>
#include <string>

#include "bindings/lua_interrupt.hpp"
#include "bindings/lua_json.hpp"
#include "bindings/lua_operation.hpp"
#include "bindings/metric_catalog_access.hpp"
#include "bindings/script_state.hpp"
#include "engine/exec/option_values.hpp"

namespace lueng::bindings {

namespace {

class LuaVu final : public exec::ScriptVu {
 public:
  LuaVu(ScriptState& state, Coroutine co) : state_(state), co_(co) {}
  ~LuaVu() override { state_.release(co_); }

  exec::ResumeOutcome resume(exec::PendingOperation* completed, std::string* result_json) override {
    // Every operation a VU waits for was started by a Lua module (LuaOperation).
    int nargs = completed ? static_cast<LuaOperation*>(completed)->push_results(co_.thread) : 0;
    return state_.resume(co_, nargs, result_json);
  }
  void restart() override { state_.restart(co_); }

 private:
  ScriptState& state_;
  Coroutine co_;
};

class LuaScript final : public exec::Script {
 public:
  explicit LuaScript(const exec::ScriptSource& source) : state_(source) {}

  ScriptState& state() { return state_; }

  bool has_function(const std::string& name) const override { return state_.has_function(name); }

  std::optional<std::string> options_json() const override {
    lua_State* L = state_.L();
    const std::string& path = state_.source().path;
    lua_getglobal(L, "options");
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      return std::nullopt;
    }
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      throw exec::ConfigError(path + ": options must be a table");
    }
    std::string json, error;
    bool ok = lua_to_json(L, -1, json, &error);
    lua_pop(L, 1);
    if (!ok) throw exec::ConfigError(path + ": options: " + error);
    return json;
  }

  uint64_t random_seed() const override { return state_.random_seed(); }
  bool random_seed_fixed() const override { return state_.random_seed_fixed(); }

  std::unique_ptr<exec::ScriptVu> new_vu(const std::string& exec_name,
                                         const std::string& setup_json,
                                         const exec::KeyValues& scenario_env) override {
    return std::make_unique<LuaVu>(state_, state_.new_vu(exec_name, setup_json, scenario_env));
  }

 private:
  ScriptState state_;
};

class LuaRuntime final : public exec::ScriptRuntime {
 public:
  std::unique_ptr<exec::Script> load(const exec::ScriptSource& source,
                                     const metrics::MetricCatalog& catalog) const override {
    auto script = std::make_unique<LuaScript>(source);
    use_metric_catalog(script->state().L(), catalog);
    script->state().load();
    return script;
  }

  std::unique_ptr<exec::Script> load_defining_metrics(
      const exec::ScriptSource& source, metrics::MetricCatalog& catalog) const override {
    auto script = std::make_unique<LuaScript>(source);
    allow_metric_creation(script->state().L(), catalog);
    script->state().load();
    return script;
  }

  void interrupt(pthread_t thread) const override { interrupt_lua_on(thread); }
};

}  // namespace

std::shared_ptr<const exec::ScriptRuntime> lua_runtime() {
  static const auto runtime = std::make_shared<const LuaRuntime>();
  return runtime;
}

}  // namespace lueng::bindings
