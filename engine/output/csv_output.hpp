#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/output/csv_config.hpp"
#include "engine/output/output.hpp"

namespace lueng::output {

// --out csv[=ARGUMENT]: every sample as a CSV row with k6's columns
// (csv_config.hpp: the file, FILE.gz for gzip, "-" for standard output; the
// flush interval; the time format), from the environment of the process.
std::unique_ptr<Output> open_csv_output(const std::string& argument, std::string* error);

// The same with the environment and the tag columns given: `columns` are the
// tags with a column of their own, in order; `ignored` are left out of
// extra_tags (k6's resTags and ignoredTags).
std::unique_ptr<Output> open_csv_output(const std::string& argument, const Environment& env,
                                        std::vector<std::string> columns,
                                        std::vector<std::string> ignored, std::string* error);

// k6's columns by default: its default system tags but vu and iter, sorted.
const std::vector<std::string>& default_csv_columns();

// The header line (k6's MakeHeader): metric_name, timestamp, metric_value, the
// tag columns, extra_tags and metadata.
std::string csv_header(const std::vector<std::string>& columns);

// What follows metric_value in a row for one tag set (k6's SampleToRow): the
// columns' values, every other tag not ignored as key=value joined by '&' in
// extra_tags, an empty metadata column, and the end of the line.
std::string csv_tag_columns(std::string_view encoded_tags, const std::vector<std::string>& columns,
                            const std::vector<std::string>& ignored);

// The metadata column of a sample with metadata (k6's): key=value joined by
// '&', keys that are tag columns or ignored tags left out.
std::string csv_metadata(std::string_view encoded_metadata, const std::vector<std::string>& columns,
                         const std::vector<std::string>& ignored);

}  // namespace lueng::output
