#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace lueng::testing {

// A script file of its own per test, removed afterwards.
struct ScriptFile {
  std::string path;
  explicit ScriptFile(const std::string& text) {
    path = (std::filesystem::temp_directory_path() /
            ("lueng-unit-" + std::to_string(reinterpret_cast<uintptr_t>(this)) + ".lua"))
               .string();
    FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f);
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
  ~ScriptFile() { std::filesystem::remove(path); }
  ScriptFile(const ScriptFile&) = delete;
  ScriptFile& operator=(const ScriptFile&) = delete;
};

}  // namespace lueng::testing
