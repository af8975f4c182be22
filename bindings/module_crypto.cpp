// require "lueng.crypto": HMAC and digests through OpenSSL, random bytes, UUIDs.
#include <array>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "bindings/codec.hpp"
#include "bindings/modules.hpp"

namespace lueng::bindings {

namespace {

// Largest size random_bytes hands out in one call; more is a script bug, not a need.
constexpr lua_Integer kMaxRandomBytes = 1 << 20;

const EVP_MD* digest_named(std::string_view name) {
  if (name == "md5") return EVP_md5();
  if (name == "sha1") return EVP_sha1();
  if (name == "sha256") return EVP_sha256();
  if (name == "sha384") return EVP_sha384();
  if (name == "sha512") return EVP_sha512();
  return nullptr;
}

const EVP_MD* check_digest(lua_State* L, int index, const char* function) {
  const char* name = luaL_checkstring(L, index);
  const EVP_MD* md = digest_named(name);
  if (!md)
    luaL_error(L, "crypto.%s: unknown algorithm '%s' (md5, sha1, sha256, sha384 or sha512)",
               function, name);
  return md;
}

// Pushes `bytes` in the output encoding named at `index` (default "hex").
int push_encoded(lua_State* L, int index, std::string_view bytes, const char* function) {
  std::string_view encoding = luaL_optstring(L, index, "hex");
  if (encoding == "hex") {
    std::string text = codec::hex_encode(bytes);
    lua_pushlstring(L, text.data(), text.size());
  } else if (encoding == "base64" || encoding == "base64url" || encoding == "base64rawurl") {
    codec::Base64Variant variant{encoding != "base64", encoding != "base64rawurl"};
    std::string text = codec::base64_encode(bytes, variant);
    lua_pushlstring(L, text.data(), text.size());
  } else if (encoding == "binary") {
    lua_pushlstring(L, bytes.data(), bytes.size());
  } else {
    return luaL_error(L,
                      "crypto.%s: unknown output encoding '%s' (hex, base64, base64url or binary)",
                      function, std::string(encoding).c_str());
  }
  return 1;
}

int digest_with(lua_State* L, const EVP_MD* md, int data_index, const char* function) {
  size_t length;
  const char* data = luaL_checklstring(L, data_index, &length);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out;
  unsigned int out_length = 0;
  if (EVP_Digest(data, length, out.data(), &out_length, md, nullptr) != 1)
    return luaL_error(L, "crypto.%s: OpenSSL digest failed", function);
  return push_encoded(L, data_index + 1, {reinterpret_cast<const char*>(out.data()), out_length},
                      function);
}

// hmac(algorithm, key, data [, encoding])
int crypto_hmac(lua_State* L) {
  const EVP_MD* md = check_digest(L, 1, "hmac");
  size_t key_length, data_length;
  const char* key = luaL_checklstring(L, 2, &key_length);
  const char* data = luaL_checklstring(L, 3, &data_length);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out;
  unsigned int out_length = 0;
  if (!HMAC(md, key, static_cast<int>(key_length), reinterpret_cast<const unsigned char*>(data),
            data_length, out.data(), &out_length))
    return luaL_error(L, "crypto.hmac: OpenSSL HMAC failed");
  return push_encoded(L, 4, {reinterpret_cast<const char*>(out.data()), out_length}, "hmac");
}

// hash(algorithm, data [, encoding])
int crypto_hash(lua_State* L) {
  return digest_with(L, check_digest(L, 1, "hash"), 2, "hash");
}

template <const EVP_MD* (*Md)(), const char* Name>
int crypto_digest(lua_State* L) {
  return digest_with(L, Md(), 1, Name);
}

constexpr char kMd5[] = "md5";
constexpr char kSha1[] = "sha1";
constexpr char kSha256[] = "sha256";
constexpr char kSha384[] = "sha384";
constexpr char kSha512[] = "sha512";

// random_bytes(n): n bytes from OpenSSL's CSPRNG, as a binary string.
int crypto_random_bytes(lua_State* L) {
  lua_Integer count = luaL_checkinteger(L, 1);
  if (count < 0 || count > kMaxRandomBytes)
    return luaL_error(L, "crypto.random_bytes: n must be between 0 and %d", int{kMaxRandomBytes});
  std::string bytes(static_cast<size_t>(count), '\0');
  if (count > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
    return luaL_error(L, "crypto.random_bytes: OpenSSL RAND_bytes failed");
  lua_pushlstring(L, bytes.data(), bytes.size());
  return 1;
}

// uuid4(): a random (version 4, RFC 4122 variant) UUID in canonical lowercase form.
int crypto_uuid4(lua_State* L) {
  std::array<unsigned char, 16> bytes;
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    return luaL_error(L, "crypto.uuid4: OpenSSL RAND_bytes failed");
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
  std::string hex = codec::hex_encode({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
  std::string text = hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
                     hex.substr(16, 4) + '-' + hex.substr(20);
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

}  // namespace

int open_crypto(lua_State* L) {
  const luaL_Reg functions[] = {{"hmac", crypto_hmac},
                                {"hash", crypto_hash},
                                {"md5", crypto_digest<EVP_md5, kMd5>},
                                {"sha1", crypto_digest<EVP_sha1, kSha1>},
                                {"sha256", crypto_digest<EVP_sha256, kSha256>},
                                {"sha384", crypto_digest<EVP_sha384, kSha384>},
                                {"sha512", crypto_digest<EVP_sha512, kSha512>},
                                {"random_bytes", crypto_random_bytes},
                                {"uuid4", crypto_uuid4},
                                {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  return 1;
}

}  // namespace lueng::bindings
