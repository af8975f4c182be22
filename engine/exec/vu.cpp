#include "engine/exec/vu.hpp"

#include <algorithm>
#include <atomic>
#include <string>
#include <utility>

#include "engine/exec/iteration_in_test.hpp"
#include "engine/exec/samples.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/worker.hpp"

namespace lueng::exec {

namespace {

// Whether the entries changed.
bool set_sorted(std::vector<std::pair<std::string, std::string>>& entries, std::string_view key,
                std::string_view value) {
  auto at = std::lower_bound(entries.begin(), entries.end(), key,
                             [](const auto& entry, std::string_view k) { return entry.first < k; });
  if (at != entries.end() && at->first == key) {
    if (at->second == value) return false;
    at->second = value;
  } else {
    entries.emplace(at, std::string(key), std::string(value));
  }
  return true;
}

}  // namespace

namespace {
thread_local Vu* t_running = nullptr;
std::atomic<size_t> g_vu_slots{0};
}  // namespace

size_t new_vu_slot() {
  return g_vu_slots.fetch_add(1, std::memory_order_relaxed);
}

Vu* Vu::running() {
  return t_running;
}

Vu::Vu(Worker& worker, ScenarioRun& run, uint64_t id, uint64_t id_in_scenario,
       std::unique_ptr<ScriptVu> script)
    : worker_(worker),
      run_(run),
      id_(id),
      id_in_scenario_(id_in_scenario),
      script_(std::move(script)) {}

Vu::~Vu() {
  modules_.clear();  // they may hold references into the script's state
  script_.reset();
}

VuModuleState& Vu::add_module_state(size_t slot, std::unique_ptr<VuModuleState> state) {
  if (slot >= modules_.size()) modules_.resize(slot + 1);
  modules_[slot] = std::move(state);
  return *modules_[slot];
}

void Vu::close() {
  for (auto& module : modules_)
    if (module) module->close();
  worker_.wakeups().cancel(backoff_wakeup_);
}

void Vu::run_iteration() {
  begin_iteration(uv_hrtime());
  resume(nullptr);
}

void Vu::begin_iteration(uint64_t now_ns) {
  in_iteration_ = true;
  waited_ = false;
  iteration_start_ns_ = now_ns;
  // One relaxed add per iteration: the number lueng.scenario shows, taken when
  // the iteration starts so that a script that never reads it pays nothing more.
  iteration_in_instance_ = run_.shared().iterations_started.fetch_add(1, std::memory_order_relaxed);
  if (scheduled_ns) {
    record_iteration_start_lag(worker_, *this,
                               static_cast<double>(iteration_start_ns_ - scheduled_ns) / 1e6);
    scheduled_ns = 0;
  }
  const std::string& root_group = scenario().config().root_group;  // set in setup()/teardown()
  if (root_group.empty())
    group_.clear();
  else
    group_.assign(root_group);
  group_starts_.clear();
  if (restart_pending_) {
    restart_pending_ = false;
    script_->restart();
  }
  for (auto& module : modules_)
    if (module) module->on_iteration_start();
  const SystemTags& system_tags = run_plan().system_tags;
  if (system_tags.has(SystemTag::kVu) || system_tags.has(SystemTag::kIter)) [[unlikely]]
    put_vu_and_iter(system_tags);
}

bool Vu::end_iteration_in_script() {
  // restart_pending_ needs a fresh coroutine, which this one cannot give itself.
  if (!waited_ || restart_pending_) return false;
  worker_.take_next_start(this);
  ResumeOutcome clean;
  clean.iteration_ended = true;
  uint64_t ended_ns = end_iteration(clean);
  if (!worker_.next_start_taken()) {
    ended_in_script_ = true;  // the executor starts it later, or not at all
    return false;
  }
  begin_iteration(ended_ns);
  return true;
}

// k6 keeps the vu and iter system tags as metadata: a tag set per VU or per
// iteration would multiply the series. Here too, when systemTags asks for them.
void Vu::put_vu_and_iter(const SystemTags& system_tags) {
  bool changed = false;
  Labels& metadata = labels().metadata;
  if (system_tags.has(SystemTag::kVu)) changed |= set_sorted(metadata, "vu", std::to_string(id_));
  if (system_tags.has(SystemTag::kIter))
    changed |= set_sorted(metadata, "iter", std::to_string(iteration_));
  if (changed) redefine_metadata();  // vu alone: once, not every iteration
}

void Vu::wait_for(PendingOperation& operation) {
  pending_ = &operation;
  waited_ = true;
}

void Vu::complete(PendingOperation& operation) {
  if (pending_ != &operation) return;  // not what this VU waits for: nothing to resume
  pending_ = nullptr;
  resume(&operation);
}

void Vu::resume(PendingOperation* completed) {
  Vu* outer = t_running;
  t_running = this;
  ResumeOutcome outcome = script_->resume(completed, worker_.call_result());
  t_running = outer;
  if (outcome.iteration_ended) {
    if (!std::exchange(ended_in_script_, false)) end_iteration(outcome);
  } else if (!pending_) {
    // The script yielded by itself: nothing would ever resume it.
    script_->restart();
    ResumeOutcome misuse;
    misuse.iteration_ended = true;
    misuse.ok = false;
    misuse.error = "coroutine.yield() cannot be used in VU code";
    end_iteration(misuse);
  }
}

uint64_t Vu::end_iteration(const ResumeOutcome& outcome) {
  in_iteration_ = false;
  record_io(worker_, *this);  // k6 records them for every iteration, however it ended
  if (outcome.interrupted) {  // a hard stop broke into code that never waited
    worker_.note_interrupted();
    run_.iteration_ended(*this, false);
    return 0;
  }
  if (outcome.stopped) {  // the script ended its scenario: not an error, not complete
    run_.iteration_ended(*this, false);
    return 0;
  }
  if (!outcome.ok) worker_.report_error(*this, outcome.error, outcome.deliberate);
  // An iteration that fails before it ever waits would have its VU spin through
  // failures as fast as the CPU goes: looping executors back off (ScenarioRun).
  quick_failures_ = !outcome.ok && !waited_ ? quick_failures_ + 1 : 0;
  uint64_t now_ns = uv_hrtime();
  double duration_ms = static_cast<double>(now_ns - iteration_start_ns_) / 1e6;
  // As k6, setup() and teardown() are no iterations: a slow setup() must not
  // change the iteration count, its rate or iteration_duration.
  if (!runs_a_hook()) record_iteration(worker_, *this, duration_ms, now_ns);
  ++iteration_;
  run_.iteration_ended(*this, true);
  return now_ns;
}

void Vu::abort() {
  if (queued) {
    queued = false;
    run_.iteration_ended(*this, false);
    return;
  }
  if (!in_iteration_) return;
  if (PendingOperation* pending = std::exchange(pending_, nullptr)) pending->abandon();
  in_iteration_ = false;
  record_io(worker_, *this);
  // A fresh coroutine only when the VU runs again: a scenario's end aborts every VU,
  // and a million of them would each build a coroutine nothing ever resumes.
  restart_pending_ = true;
  run_.iteration_ended(*this, false);
}

void Vu::on_backoff_over(void* self, uint64_t) {
  Vu* vu = static_cast<Vu*>(self);
  vu->run_.backoff_over(*vu);
}

void Vu::record_check(std::string_view name, bool passed, TagList extra_tags) {
  exec::record_check(worker_, *this, name, passed, extra_tags);
}

void Vu::record_custom(metrics::MetricId metric, double value, TagList extra_tags) {
  exec::record_custom(worker_, *this, metric, value, extra_tags);
}

const std::string& Vu::scenario_name() const {
  return run_.config().name;
}

const std::string& Vu::scenario_executor() const {
  return run_.config().executor;
}

int64_t Vu::iteration_in_test() const {
  return exec::iteration_in_test(run_.planned(), iteration_in_instance_);
}

double Vu::scenario_progress() const {
  const ExecutorConfig& executor = *run_.config().executor_config;
  int64_t total = executor.total_iterations();
  double progress =
      total > 0
          ? static_cast<double>(run_.shared().iterations_done.load(std::memory_order_relaxed)) /
                static_cast<double>(total)
          : run_.elapsed() / std::max(executor.max_duration(), 1e-9);
  return std::clamp(progress, 0.0, 1.0);
}

const Vu::Labels Vu::kNoLabels;

void Vu::set_tag(std::string_view key, std::string_view value) {
  OwnLabels& own = labels();
  set_sorted(own.tags, key, value);
  own.tags_key = metrics::encode_tags(own.tags);
  iteration_tags_ = kUnknownTags;
}

void Vu::delete_tag(std::string_view key) {
  if (!labels_) return;
  std::erase_if(labels_->tags, [&](const auto& tag) { return tag.first == key; });
  labels_->tags_key = metrics::encode_tags(labels_->tags);
  iteration_tags_ = kUnknownTags;
}

void Vu::set_metadata(std::string_view key, std::string_view value) {
  set_sorted(labels().metadata, key, value);
  redefine_metadata();
}

void Vu::delete_metadata(std::string_view key) {
  if (!labels_) return;
  std::erase_if(labels_->metadata, [&](const auto& entry) { return entry.first == key; });
  redefine_metadata();
}

void Vu::redefine_metadata() {
  metrics::Sink& sink = worker_.sink();
  sink.retire_metadata(metadata_id_);  // its samples are all queued before this
  metadata_id_ = sink.define_metadata(metrics::encode_tags(metadata()));
}

bool Vu::tag(std::string_view key, std::string* value) const {
  for (const auto& [name, text] : tags())
    if (name == key) return *value = text, true;
  if (key == "group") return *value = group_, true;
  const ScenarioConfig& config = scenario().config();
  if (key == "scenario" && config.root_group.empty()) return *value = config.name, true;
  for (const auto& [name, text] : config.tags)
    if (name == key) return *value = text, true;
  return false;
}

void Vu::stop_scenario() {
  run_.finish();
}

double Vu::scenario_started_unix_ms() const {
  return run_.started_unix_ms();
}

double Vu::scenario_elapsed_seconds() const {
  return run_.elapsed();
}

double Vu::scenario_planned_seconds() const {
  return run_.config().executor_config->max_duration();
}

double Vu::test_elapsed_seconds() const {
  return static_cast<double>(uv_hrtime() - worker_.plan().start_ns) / 1e9;
}

bool Vu::runs_a_hook() const {
  return worker_.call_result() != nullptr;
}

uv_loop_t* Vu::loop() {
  return worker_.loop();
}

WakeupQueue& Vu::wakeups() {
  return worker_.wakeups();
}

http::Client& Vu::http_client() {
  return worker_.http();
}

ResponsePool& Vu::responses() {
  return worker_.responses();
}

const HttpOptions& Vu::http_options() const {
  return worker_.plan().http;
}

const RunPlan& Vu::run_plan() const {
  return worker_.plan();
}

RunShared& Vu::run_shared() {
  return worker_.shared();
}

size_t Vu::group_enter(std::string_view name) {
  size_t token = group_.size();
  group_.append("::");
  group_.append(name);
  group_starts_.push_back(uv_hrtime());
  return token;
}

void Vu::group_leave(size_t token) {
  if (group_starts_.empty() || token > group_.size()) return;
  double duration_ms = static_cast<double>(uv_hrtime() - group_starts_.back()) / 1e6;
  group_starts_.pop_back();
  record_group(worker_, *this, duration_ms);
  group_.resize(token);
}

}  // namespace lueng::exec
