#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lueng {

// Levenshtein distance, letters compared without case.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is within `max_distance` edits (a typo
// rather than another word), for "did you mean": "" when none is.
std::string closest_name(std::string_view word, const std::vector<std::string_view>& candidates,
                         size_t max_distance = 2);

}  // namespace lueng
