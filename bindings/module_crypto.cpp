// require "lueng.crypto": HMAC and digests through OpenSSL (at once, or streamed
// with create_hash/create_hmac as k6's createHash/createHMAC), random bytes, UUIDs.
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "bindings/codec.hpp"
#include "bindings/modules.hpp"

namespace lueng::bindings {

namespace {

// Largest size random_bytes hands out in one call; more is a script bug, not a need.
constexpr lua_Integer kMaxRandomBytes = 1 << 20;

constexpr const char* kAlgorithms =
    "md4, md5, sha1, sha256, sha384, sha512, sha512_224, sha512_256 or ripemd160";

// k6's algorithm names and OpenSSL's. md4 and, before OpenSSL 3.0.7, ripemd160
// live in OpenSSL's legacy provider, which lueng does not load: fetching them
// then fails, and the error says so.
struct Algorithm {
  std::string_view name;
  const char* openssl_name;
};
constexpr std::array<Algorithm, 9> kDigests = {{{"md4", "MD4"},
                                                {"md5", "MD5"},
                                                {"sha1", "SHA1"},
                                                {"sha256", "SHA256"},
                                                {"sha384", "SHA384"},
                                                {"sha512", "SHA512"},
                                                {"sha512_224", "SHA512-224"},
                                                {"sha512_256", "SHA512-256"},
                                                {"ripemd160", "RIPEMD160"}}};

// The digest, fetched once per process (OpenSSL's fetched objects are thread-safe
// and kept for the life of the process); null when unknown or unavailable.
const EVP_MD* digest_named(std::string_view name, bool* known) {
  static std::array<EVP_MD*, kDigests.size()> fetched = [] {
    std::array<EVP_MD*, kDigests.size()> mds{};
    for (size_t i = 0; i < kDigests.size(); ++i)
      mds[i] = EVP_MD_fetch(nullptr, kDigests[i].openssl_name, nullptr);
    return mds;
  }();
  for (size_t i = 0; i < kDigests.size(); ++i)
    if (kDigests[i].name == name) {
      *known = true;
      return fetched[i];
    }
  *known = false;
  return nullptr;
}

const EVP_MD* check_digest(lua_State* L, int index, const char* function) {
  const char* name = luaL_checkstring(L, index);
  bool known = false;
  const EVP_MD* md = digest_named(name, &known);
  if (!known) luaL_error(L, "crypto.%s: unknown algorithm '%s' (%s)", function, name, kAlgorithms);
  if (!md)
    luaL_error(L,
               "crypto.%s: '%s' is not available in this OpenSSL (%s): it needs OpenSSL's legacy "
               "provider, which lueng does not load",
               function, name, OpenSSL_version(OPENSSL_VERSION));
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

// sha512_224(data [, encoding]) and the others OpenSSL may lack: fetched by name.
template <const char* Name>
int crypto_named_digest(lua_State* L) {
  lua_pushstring(L, Name);
  lua_insert(L, 1);
  return digest_with(L, check_digest(L, 1, Name), 2, Name);
}

constexpr char kMd4[] = "md4";
constexpr char kSha512_224[] = "sha512_224";
constexpr char kSha512_256[] = "sha512_256";
constexpr char kRipemd160[] = "ripemd160";

// ---- create_hash / create_hmac: k6's Hasher, fed piece by piece

constexpr const char* kHasherType = "lueng.crypto.hasher";

// One of the two OpenSSL contexts is set: a digest's, or an HMAC's.
struct Hasher {
  EVP_MD_CTX* digest = nullptr;
  EVP_MAC_CTX* mac = nullptr;
  const char* function;  // for error messages: "create_hash" or "create_hmac"
};

Hasher& check_hasher(lua_State* L) {
  return *static_cast<Hasher*>(luaL_checkudata(L, 1, kHasherType));
}

int hasher_gc(lua_State* L) {
  Hasher& hasher = check_hasher(L);
  EVP_MD_CTX_free(std::exchange(hasher.digest, nullptr));
  EVP_MAC_CTX_free(std::exchange(hasher.mac, nullptr));
  return 0;
}

// hasher:update(data): returns the hasher, so calls chain as in k6.
int hasher_update(lua_State* L) {
  Hasher& hasher = check_hasher(L);
  size_t length;
  const char* data = luaL_checklstring(L, 2, &length);
  bool ok = hasher.digest ? EVP_DigestUpdate(hasher.digest, data, length) == 1
                          : EVP_MAC_update(hasher.mac, reinterpret_cast<const unsigned char*>(data),
                                           length) == 1;
  if (!ok) return luaL_error(L, "crypto.%s: OpenSSL update failed", hasher.function);
  lua_settop(L, 1);
  return 1;
}

// hasher:digest([encoding]): the digest of everything so far; the hasher goes on
// (a copy of its state is finished), as Go's hash.Sum that k6 calls.
int hasher_digest(lua_State* L) {
  Hasher& hasher = check_hasher(L);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out;
  size_t out_length = 0;
  bool ok = false;
  if (hasher.digest) {
    EVP_MD_CTX* copy = EVP_MD_CTX_new();
    unsigned int length = 0;
    ok = copy && EVP_MD_CTX_copy_ex(copy, hasher.digest) == 1 &&
         EVP_DigestFinal_ex(copy, out.data(), &length) == 1;
    out_length = length;
    EVP_MD_CTX_free(copy);
  } else {
    EVP_MAC_CTX* copy = EVP_MAC_CTX_dup(hasher.mac);
    ok = copy && EVP_MAC_final(copy, out.data(), &out_length, out.size()) == 1;
    EVP_MAC_CTX_free(copy);
  }
  if (!ok) return luaL_error(L, "crypto.%s: OpenSSL digest failed", hasher.function);
  return push_encoded(L, 2, {reinterpret_cast<const char*>(out.data()), out_length},
                      hasher.function);
}

Hasher& new_hasher(lua_State* L, const char* function) {
  auto* hasher = static_cast<Hasher*>(lua_newuserdata(L, sizeof(Hasher)));
  *hasher = Hasher{nullptr, nullptr, function};
  if (luaL_newmetatable(L, kHasherType)) {
    const luaL_Reg methods[] = {
        {"update", hasher_update}, {"digest", hasher_digest}, {nullptr, nullptr}};
    lua_newtable(L);
    luaL_register(L, nullptr, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, hasher_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return *hasher;
}

// create_hash(algorithm): k6's createHash.
int crypto_create_hash(lua_State* L) {
  const EVP_MD* md = check_digest(L, 1, "create_hash");
  Hasher& hasher = new_hasher(L, "create_hash");
  hasher.digest = EVP_MD_CTX_new();
  if (!hasher.digest || EVP_DigestInit_ex(hasher.digest, md, nullptr) != 1)
    return luaL_error(L, "crypto.create_hash: OpenSSL digest init failed");
  return 1;
}

// create_hmac(algorithm, key): k6's createHMAC.
int crypto_create_hmac(lua_State* L) {
  const EVP_MD* md = check_digest(L, 1, "create_hmac");
  size_t key_length;
  const char* key = luaL_checklstring(L, 2, &key_length);
  Hasher& hasher = new_hasher(L, "create_hmac");
  static EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  hasher.mac = hmac ? EVP_MAC_CTX_new(hmac) : nullptr;
  std::string digest_name = EVP_MD_get0_name(md);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name.data(), 0),
      OSSL_PARAM_construct_end()};
  if (!hasher.mac || EVP_MAC_init(hasher.mac, reinterpret_cast<const unsigned char*>(key),
                                  key_length, params) != 1)
    return luaL_error(L, "crypto.create_hmac: OpenSSL HMAC init failed");
  return 1;
}

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
                                {"md4", crypto_named_digest<kMd4>},
                                {"sha512_224", crypto_named_digest<kSha512_224>},
                                {"sha512_256", crypto_named_digest<kSha512_256>},
                                {"ripemd160", crypto_named_digest<kRipemd160>},
                                {"create_hash", crypto_create_hash},
                                {"createHash", crypto_create_hash},
                                {"create_hmac", crypto_create_hmac},
                                {"createHMAC", crypto_create_hmac},
                                {"random_bytes", crypto_random_bytes},
                                {"uuid4", crypto_uuid4},
                                {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  return 1;
}

}  // namespace lueng::bindings
