#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bindings/data_sets.hpp"

using lueng::bindings::DataError;
using lueng::bindings::DataSet;
using lueng::bindings::shared_data_set;

namespace {

// Eight threads ask for `key` at once, as the workers' init code does.
template <typename Each>
void from_eight_threads(Each each) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back(each);
  for (auto& thread : threads) thread.join();
}

}  // namespace

TEST_CASE("data sets: concurrent first loads run the loader once and share its result") {
  std::atomic<int> loads{0};
  std::atomic<const DataSet*> first{nullptr};
  std::atomic<int> same{0};
  from_eight_threads([&] {
    const DataSet& set = shared_data_set("test-concurrent", [&](DataSet& loaded) {
      ++loads;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the others arrive meanwhile
      loaded.text = "loaded once";
    });
    const DataSet* expected = nullptr;
    first.compare_exchange_strong(expected, &set);
    if (first.load() == &set && set.text == "loaded once") ++same;
  });
  CHECK(loads == 1);
  CHECK(same == 8);
  // Later asks get the same set without loading.
  CHECK(&shared_data_set("test-concurrent", [&](DataSet&) { ++loads; }) == first.load());
  CHECK(loads == 1);
}

TEST_CASE("data sets: a failed load is remembered and reported to every asker") {
  std::atomic<int> loads{0}, errors{0};
  from_eight_threads([&] {
    try {
      shared_data_set("test-failing", [&](DataSet&) {
        ++loads;
        throw DataError("data.csv: x.csv:3: 1 field where the header has 2");
      });
    } catch (const DataError& error) {
      if (std::string(error.what()) == "data.csv: x.csv:3: 1 field where the header has 2")
        ++errors;
    }
  });
  CHECK(loads == 1);
  CHECK(errors == 8);
}

TEST_CASE("data sets: different keys load apart") {
  const DataSet& a = shared_data_set("test-a", [](DataSet& set) { set.text = "a"; });
  const DataSet& b = shared_data_set("test-b", [](DataSet& set) { set.text = "b"; });
  CHECK(&a != &b);
  CHECK(a.text == "a");
  CHECK(b.text == "b");
}
