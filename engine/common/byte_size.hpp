#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lueng {

// Parses a size in bytes: a whole number ("65536"), or a number with a unit,
// decimal (B, KB, MB, GB: powers of 1000) or binary (KiB, MiB, GiB: powers of
// 1024), case-insensitive, a space allowed before it: "64MiB", "1.5 MB", "512kb".
// Nothing when the text is not a size or does not fit 63 bits.
std::optional<uint64_t> parse_byte_size(std::string_view text);

}  // namespace lueng
