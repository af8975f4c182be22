#pragma once

// What an output wrote, plain or gzip-compressed (zlib's gzread reads both).
#include <zlib.h>

#include <string>

#include <catch2/catch.hpp>

inline std::string read_output_file(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  REQUIRE(file);
  std::string text;
  char buffer[4096];
  int n;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  gzclose(file);
  return text;
}
