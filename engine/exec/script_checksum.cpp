#include "engine/exec/script_checksum.hpp"

#include <openssl/evp.h>

#include "engine/common/text_file.hpp"

namespace lueng::exec {

std::string file_sha256_hex(const std::string& path) {
  std::optional<std::string> bytes = read_text_file(path);
  if (!bytes) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes->data(), bytes->size(), digest, &length, EVP_sha256(), nullptr) != 1)
    return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

}  // namespace lueng::exec
