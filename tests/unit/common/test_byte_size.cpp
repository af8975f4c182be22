#include <catch2/catch.hpp>

#include "engine/common/byte_size.hpp"

using lueng::parse_byte_size;

TEST_CASE("byte sizes parse with decimal and binary units") {
  CHECK(*parse_byte_size("65536") == 65536);
  CHECK(*parse_byte_size("0") == 0);
  CHECK(*parse_byte_size("10B") == 10);
  CHECK(*parse_byte_size("512KB") == 512000);
  CHECK(*parse_byte_size("512kb") == 512000);
  CHECK(*parse_byte_size("1.5 MB") == 1500000);
  CHECK(*parse_byte_size("2GB") == 2000000000);
  CHECK(*parse_byte_size("1KiB") == 1024);
  CHECK(*parse_byte_size("64MiB") == 64ull << 20);
  CHECK(*parse_byte_size("1gib") == 1ull << 30);
}

TEST_CASE("malformed byte sizes are rejected") {
  for (const char* bad : {"", "MB", "10 XB", "1..2MB", "-5", "10  MB", "1e3", "99999999999GB"}) {
    INFO(bad);
    CHECK_FALSE(parse_byte_size(bad));
  }
}
