#include "bindings/data_sets.hpp"

#include <map>
#include <memory>
#include <mutex>

namespace lueng::bindings {

namespace {

struct Entry {
  std::mutex loading;  // held by the thread that loads it
  bool loaded = false;
  std::unique_ptr<DataSet> set;
  std::string error;
};

}  // namespace

const DataSet& shared_data_set(const std::string& key, const std::function<void(DataSet&)>& load) {
  // Never destroyed: a worker still reading must not see the cache go away while
  // the process exits.
  static auto* entries = new std::map<std::string, std::unique_ptr<Entry>>;
  static std::mutex entries_mutex;
  Entry* entry;
  {
    std::lock_guard lock(entries_mutex);
    auto& slot = (*entries)[key];
    if (!slot) slot = std::make_unique<Entry>();
    entry = slot.get();
  }
  // Only the entry's own lock is held while loading: other files load meanwhile.
  std::lock_guard lock(entry->loading);
  if (!entry->loaded) {
    auto set = std::make_unique<DataSet>();
    try {
      load(*set);
      entry->set = std::move(set);
    } catch (const DataError& error) {
      entry->error = error.what();
    }
    entry->loaded = true;
  }
  if (!entry->set) throw DataError(entry->error);
  return *entry->set;
}

}  // namespace lueng::bindings
