#include <catch2/catch.hpp>

#include <string>

#include <lua.hpp>

#include "bindings/modules.hpp"

using namespace lueng::bindings;

namespace {
// A Lua state with lueng's modules; run() evaluates an expression and gives its
// string value, or "error: <message>".
struct State {
  lua_State* L = luaL_newstate();
  State() {
    luaL_openlibs(L);
    register_modules(L);
    REQUIRE(luaL_dostring(L, R"(
      crypto = require "lueng.crypto"
      encoding = require "lueng.encoding"
      function hex(bytes) return (bytes:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end
      function rep(byte, n) return string.rep(string.char(byte), n) end
      function counting(n) local t = {} for i = 1, n do t[i] = string.char(i) end return table.concat(t) end
    )") == 0);
  }
  ~State() { lua_close(L); }
  std::string run(const std::string& expression) {
    std::string code = "return " + expression;
    if (luaL_dostring(L, code.c_str()) != 0) {
      std::string error = std::string("error: ") + lua_tostring(L, -1);
      lua_pop(L, 1);
      return error;
    }
    size_t length = 0;
    const char* text = lua_tolstring(L, -1, &length);
    std::string value = text ? std::string(text, length) : std::string("(not a string)");
    lua_pop(L, 1);
    return value;
  }
};

struct Rfc4231Case {
  const char* key;
  const char* data;
  const char* sha256;
  const char* sha384;
  const char* sha512;
};

// RFC 4231 section 4, test cases 1 to 7 (case 5 is truncated to 128 bits).
const Rfc4231Case kRfc4231[] = {
    {"rep(0x0b, 20)", "'Hi There'",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2f"
     "a9cb6",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea"
     "3f4e4be9d914eeb61f1702e696c203a126854"},
    {"'Jefe'", "'what do ya want for nothing?'",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab"
     "21649",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f"
     "0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {"rep(0xaa, 20)", "rep(0xdd, 50)",
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
     "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a"
     "34f27",
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e6"
     "7c807b946a337bee8942674278859e13292fb"},
    {"counting(25)", "rep(0xcd, 50)",
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
     "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c67"
     "4cffb",
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc57"
     "88063a5f19741120c4f2de2adebeb10a298dd"},
    {"rep(0x0c, 20)", "'Test With Truncation'", "a3b6167473100ee06e0c796c2955552b",
     "3abf34c3503b2a23a46efc619baef897", "415fad6271580a531d4179bc891d87a6"},
    {"rep(0xaa, 131)", "'Test Using Larger Than Block-Size Key - Hash Key First'",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f"
     "44952",
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6"
     "a1e5295e64f73f63f0aec8b915a985d786598"},
    {"rep(0xaa, 131)",
     "'This is a test using a larger than block-size key and a larger than block-size data. The "
     "key needs to be hashed before being used by the HMAC algorithm.'",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c4"
     "6523e",
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e"
     "4de15134676fb6de0446065c97440fa8c6a58"},
};
}  // namespace

TEST_CASE("crypto.hmac matches the RFC 4231 test vectors") {
  State s;
  int number = 1;
  for (const auto& vector : kRfc4231) {
    INFO("RFC 4231 test case " << number++);
    auto hmac = [&](const char* alg, const std::string& expected) {
      std::string call =
          std::string("crypto.hmac('") + alg + "', " + vector.key + ", " + vector.data + ", 'hex')";
      return s.run(call).substr(0, expected.size());
    };
    CHECK(hmac("sha256", vector.sha256) == vector.sha256);
    CHECK(hmac("sha384", vector.sha384) == vector.sha384);
    CHECK(hmac("sha512", vector.sha512) == vector.sha512);
  }
}

TEST_CASE("crypto.hmac gives the Mercado Pago check value and every output encoding") {
  State s;
  s.run("0");
  REQUIRE(luaL_dostring(s.L,
                        "manifest = 'id:123456;request-id:bb56a2f1-6aae-46ac-982e-9dcd3581d08e;"
                        "ts:1742505638683;'") == 0);
  const std::string v1 = "19d3560f0fc9c76acc744fc7400fd7ad46a762af3e20df6bd467ee7838825844";
  CHECK(s.run("crypto.hmac('sha256', 'test_secret', manifest)") == v1);  // hex by default
  CHECK(s.run("crypto.hmac('sha256', 'test_secret', manifest, 'hex')") == v1);
  CHECK(s.run("hex(crypto.hmac('sha256', 'test_secret', manifest, 'binary'))") == v1);
  CHECK(s.run("#crypto.hmac('sha256', 'test_secret', manifest, 'binary')") == "32");
  CHECK(s.run("crypto.hmac('sha256', 'test_secret', manifest, 'base64')") ==
        "GdNWDw/Jx2rMdE/HQA/XrUanYq8+IN9r1GfueDiCWEQ=");
  CHECK(s.run("crypto.hmac('sha256', 'test_secret', manifest, 'base64url')") ==
        "GdNWDw_Jx2rMdE_HQA_XrUanYq8-IN9r1GfueDiCWEQ=");
  CHECK(s.run("crypto.hmac('sha256', 'test_secret', manifest, 'base64rawurl')") ==
        "GdNWDw_Jx2rMdE_HQA_XrUanYq8-IN9r1GfueDiCWEQ");
  // md5 and sha1 HMACs (RFC 2202 test case 2).
  CHECK(s.run("crypto.hmac('md5', 'Jefe', 'what do ya want for nothing?')") ==
        "750c783e6ab0b503eaa86e310a5db738");
  CHECK(s.run("crypto.hmac('sha1', 'Jefe', 'what do ya want for nothing?')") ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  // Keys and data are bytes: an embedded NUL changes the result.
  CHECK(s.run("crypto.hmac('sha256', 'k', 'a\\0b')") != s.run("crypto.hmac('sha256', 'k', 'a')"));
  CHECK(s.run("crypto.hmac('sha3', 'k', 'd')").find("unknown algorithm 'sha3'") !=
        std::string::npos);
  CHECK(s.run("crypto.hmac('sha256', 'k', 'd', 'octal')").find("unknown output encoding") !=
        std::string::npos);
}

TEST_CASE("crypto digests match known vectors") {
  State s;
  CHECK(s.run("crypto.md5('abc')") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(s.run("crypto.md5('')") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(s.run("crypto.sha1('abc')") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(s.run("crypto.sha256('abc')") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(s.run("crypto.sha256('')") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(s.run("crypto.sha384('abc')") ==
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca13"
        "4c825a7");
  CHECK(s.run("crypto.sha512('abc')") ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a"
        "3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(s.run("crypto.hash('sha1', 'abc')") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(s.run("crypto.sha256('abc', 'base64')") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  CHECK(s.run("hex(crypto.md5('abc', 'binary'))") == "900150983cd24fb0d6963f7d28e17f72");
}

TEST_CASE("crypto.random_bytes and crypto.uuid4") {
  State s;
  CHECK(s.run("#crypto.random_bytes(32)") == "32");
  CHECK(s.run("crypto.random_bytes(0)").empty());
  CHECK(s.run("crypto.random_bytes(16)") != s.run("crypto.random_bytes(16)"));
  CHECK(s.run("crypto.random_bytes(-1)").starts_with("error:"));
  std::string uuid = s.run("crypto.uuid4()");
  REQUIRE(uuid.size() == 36);
  CHECK(s.run("tostring(crypto.uuid4():match("
              "'^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$') "
              "~= nil)") == "true");
  CHECK(s.run("crypto.uuid4()") != uuid);
}

TEST_CASE("encoding base64 in the std, rawstd, url and rawurl variants") {
  State s;
  // RFC 4648 section 10.
  CHECK(s.run("encoding.b64encode('')").empty());
  CHECK(s.run("encoding.b64encode('f')") == "Zg==");
  CHECK(s.run("encoding.b64encode('fo')") == "Zm8=");
  CHECK(s.run("encoding.b64encode('foo')") == "Zm9v");
  CHECK(s.run("encoding.b64encode('foobar')") == "Zm9vYmFy");
  CHECK(s.run("encoding.b64encode('fo', 'rawstd')") == "Zm8");
  CHECK(s.run("encoding.b64encode('\\251\\255\\254', 'std')") == "+//+");
  CHECK(s.run("encoding.b64encode('\\251\\255\\254', 'url')") == "-__-");
  CHECK(s.run("encoding.b64encode('\\251\\255', 'url')") == "-_8=");
  CHECK(s.run("encoding.b64encode('\\251\\255', 'rawurl')") == "-_8");
  CHECK(s.run("encoding.b64decode('Zm9vYmE=')") == "fooba");
  CHECK(s.run("encoding.b64decode('Zm9vYmE', 'rawstd')") == "fooba");
  CHECK(s.run("encoding.b64decode('-_8', 'rawurl')") == "\xfb\xff");
  CHECK(s.run("encoding.b64decode(encoding.b64encode(counting(255), 'url'), 'url')") ==
        s.run("counting(255)"));
  CHECK(s.run("encoding.b64decode('-_8=')") ==
        "error: encoding.b64decode: invalid base64 at offset 0");
  CHECK(s.run("encoding.b64decode('Zm9v!')").starts_with("error: "));
  CHECK(s.run("encoding.b64decode('Zm8==')").starts_with("error: "));
  CHECK(s.run("encoding.b64encode('x', 'base32')").find("unknown variant 'base32'") !=
        std::string::npos);
}

TEST_CASE("encoding url_encode, url_decode, form_encode and form_decode") {
  State s;
  CHECK(s.run("encoding.url_encode('a b&c=d/é~')") == "a%20b%26c%3Dd%2F%C3%A9~");
  CHECK(s.run("encoding.url_decode('a%20b%26c%3dd%2F%C3%A9~+')") == "a b&c=d/é~+");
  CHECK(s.run("encoding.url_decode('100%')").find("at offset 3") != std::string::npos);
  CHECK(s.run("encoding.url_decode('%zz')").starts_with("error: "));
  CHECK(s.run("encoding.form_encode({ b = 'x y', a = 1, c = true, ['d e'] = 'ñ' })") ==
        "a=1&b=x+y&c=true&d+e=%C3%B1");
  CHECK(s.run("encoding.form_encode({ tag = { 'z', 'a' }, id = 1.5 })") == "id=1.5&tag=z&tag=a");
  CHECK(s.run("encoding.form_encode({})").empty());
  CHECK(s.run("encoding.form_encode({ f = print })").find("the value of 'f' is a function") !=
        std::string::npos);
  CHECK(s.run("(function() local t = encoding.form_decode('a=1&b=x+y&a=2&a=3&e=&f') "
              "return t.a[1] .. t.a[2] .. t.a[3] .. '|' .. t.b .. '|' .. t.e .. t.f end)()") ==
        "123|x y|");
  CHECK(s.run("encoding.form_encode(encoding.form_decode('k=%26%3D&j=%2B'))") == "j=%2B&k=%26%3D");
}

// k6's internal/js/modules/k6/crypto/crypto_test.go: the digests of "hello world"
// (TestCryptoAlgorithms), createHash (TestStreamingApi) and createHMAC of
// "some data to hash" with "a secret" (TestOutputEncoding).
TEST_CASE("crypto: sha512_224, sha512_256 and ripemd160 as in k6") {
  State s;
  CHECK(s.run("crypto.sha512_224('hello world', 'hex')") ==
        "22e0d52336f64a998085078b05a6e37b26f8120f43bf4db4c43a64ee");
  CHECK(s.run("crypto.sha512_256('hello world', 'hex')") ==
        "0ac561fac838104e3f2e4ad107b4bee3e938bf15f2b15f009ccccd61a913f017");
  CHECK(s.run("crypto.ripemd160('hello world', 'hex')") ==
        "98c615784ccb5fe5936fbc0cbe9dfdb408d92f0f");
  CHECK(s.run("crypto.hash('sha512_256', 'hello world')") ==
        "0ac561fac838104e3f2e4ad107b4bee3e938bf15f2b15f009ccccd61a913f017");
}

TEST_CASE("crypto: md4 works where OpenSSL has it, else says it needs the legacy provider") {
  State s;
  std::string md4 = s.run("crypto.md4('hello world', 'hex')");
  if (md4.starts_with("error: "))
    CHECK(md4.find("'md4' is not available in this OpenSSL") != std::string::npos);
  else
    CHECK(md4 == "aa010fbc1d14c795d86ef98c95479d17");
}

TEST_CASE("crypto: create_hash streams as k6's createHash") {
  State s;
  CHECK(s.run("crypto.create_hash('md5'):digest('hex')") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(s.run("crypto.createHash('md5'):update('hello world'):digest('hex')") ==
        "5eb63bbbe01eeed093cb22bb8f5acdc3");
  CHECK(s.run(R"((function()
      local h = crypto.create_hash('md5')
      h:update('hello') h:update(' ') h:update('world')
      return h:digest('hex') end)())") == "5eb63bbbe01eeed093cb22bb8f5acdc3");
  // digest() leaves the hasher going on, as Go's hash.Sum.
  CHECK(s.run(R"((function()
      local h = crypto.create_hash('sha256'):update('hello')
      local first = h:digest('hex')
      h:update(' world')
      return first .. ' ' .. h:digest('hex') end)())") ==
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 "
        "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  CHECK(s.run("hex(crypto.create_hash('md5'):update('hello world'):digest('binary'))") ==
        "5eb63bbbe01eeed093cb22bb8f5acdc3");
  CHECK(s.run("crypto.create_hash('md5'):update('hello world'):digest('base64')") ==
        "XrY7u+Ae7tCTyyK7j1rNww==");
  CHECK(s.run("crypto.create_hash('whirlpool')").find("unknown algorithm 'whirlpool'") !=
        std::string::npos);
}

TEST_CASE("crypto: create_hmac as k6's createHMAC, for every algorithm") {
  State s;
  const std::pair<const char*, const char*> expected[] = {
      {"md5", "e04f2ec05c8b12e19e46936b171c9d03"},
      {"sha1", "c113b62711ff5d8e8100bbb17b998591af81dc24"},
      {"sha256", "7fd04df92f636fd450bc841c9418e5825c17f33ad9c87c518115a45971f7f77e"},
      {"sha384",
       "d331e169e2dcfc742e80a3bf4dcc76d0e6425ab3777a3ac217ac6b2552aad5529ed4d40135b06e53a495ac7425d"
       "1e"
       "462"},
      {"sha512_224", "bac4e6256bdbf81d029aec48af4fdd4b14001db6721f07c429a80817"},
      {"sha512_256", "e3d0763ba92a4f40676c3d5b234d9842b71951e6e0767082cfb3f5e14c124b22"},
      {"sha512",
       "cd3146f96a3005024108ff56b025517552435589a4c218411f165da0a368b6f47228b20a1a4bf081e4aae6f07e2"
       "790f"
       "27194fc77f0addc890e98ce1951cacc9f"},
      {"ripemd160", "00bb4ce0d6afd4c7424c9d01b8a6caa3e749b08b"},
  };
  for (const auto& [algorithm, hex] : expected) {
    INFO(algorithm);
    std::string a = std::string("'") + algorithm + "'";
    CHECK(s.run("crypto.createHMAC(" + a +
                ", 'a secret'):update('some data to hash'):digest('hex')") == hex);
    // The same through the one-call hmac, streamed in two pieces, and as k6's wrapper.
    CHECK(s.run("crypto.hmac(" + a + ", 'a secret', 'some data to hash')") == hex);
    CHECK(s.run("crypto.create_hmac(" + a +
                ", 'a secret'):update('some data'):update(' to hash'):digest()") == hex);
  }
}
