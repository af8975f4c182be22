#pragma once

#include <string>

namespace lueng::exec {

// Lowercase hex SHA-256 of a file's bytes (OpenSSL), "" when it cannot be read:
// the instances of a distributed test show they ran the same script.
std::string file_sha256_hex(const std::string& path);

}  // namespace lueng::exec
