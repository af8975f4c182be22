// Data files that scripts load with lueng.data (engine/common/text_table.cpp):
// CSV through libcsv with a header or not, a separator and typed columns chosen
// by the input's last byte, and the same text as lines.
//
// Checked besides crashes: every cell lies inside the table, typed cells read as
// their type, and the table written back as CSV (every field quoted) loads as the
// same table; lines number one more than the line breaks unless the text ends
// with one.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/common/text_table.hpp"

namespace {

std::string quoted(std::string_view cell) {
  std::string text = "\"";
  for (char c : cell) text += c == '"' ? std::string("\"\"") : std::string(1, c);
  return text + "\"";
}

std::string write_back(const lueng::TextTable& table, char separator) {
  std::string text;
  auto record = [&](auto cell_of) {
    for (size_t c = 0; c < table.columns(); ++c) {
      if (c) text += separator;
      text += quoted(cell_of(c));
    }
    text += "\r\n";
  };
  if (!table.header().empty())
    record([&](size_t c) { return std::string_view(table.header()[c]); });
  for (size_t r = 0; r < table.rows(); ++r) record([&](size_t c) { return table.cell(r, c); });
  return text;
}

bool same(const lueng::TextTable& a, const lueng::TextTable& b) {
  if (a.rows() != b.rows() || a.columns() != b.columns() || a.header() != b.header()) return false;
  for (size_t r = 0; r < a.rows(); ++r)
    for (size_t c = 0; c < a.columns(); ++c)
      if (a.cell(r, c) != b.cell(r, c)) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  uint8_t choice = input.ConsumeIntegral<uint8_t>();  // the last byte
  std::string text = input.ConsumeRemainingBytesAsString();

  lueng::CsvOptions options;
  options.header = choice & 1;
  const char separators[] = {',', ';', '\t', '|'};
  options.separator = separators[(choice >> 1) & 3];
  if (choice & 8) options.types_by_position.emplace_back(1, lueng::ColumnType::kNumber);
  if (choice & 16) options.types_by_position.emplace_back(2, lueng::ColumnType::kBoolean);

  lueng::TableError error;
  auto table = lueng::TextTable::from_csv(text, options, &error);
  if (table) {
    if (!options.header && !table->header().empty()) std::abort();
    if (options.header && table->header().size() != table->columns()) std::abort();
    for (size_t r = 0; r < table->rows(); ++r) {
      for (size_t c = 0; c < table->columns(); ++c) {
        std::string_view cell = table->cell(r, c);
        if (cell.size() > text.size()) std::abort();
        if (cell.empty()) continue;
        if (table->type(c) == lueng::ColumnType::kNumber && !lueng::parse_number_cell(cell))
          std::abort();
        if (table->type(c) == lueng::ColumnType::kBoolean && !lueng::parse_boolean_cell(cell))
          std::abort();
      }
    }
    // A table of zero columns has no records to write back.
    if (table->columns() > 0) {
      auto again =
          lueng::TextTable::from_csv(write_back(*table, options.separator), options, &error);
      if (!again || !same(*table, *again)) std::abort();
    }
  } else if (error.message.empty()) {
    std::abort();
  }

  lueng::TextTable lines = lueng::TextTable::from_lines(text);
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  size_t breaks = static_cast<size_t>(std::count(body.begin(), body.end(), '\n'));
  size_t expected = breaks + (!body.empty() && !body.ends_with('\n') ? 1 : 0);
  if (lines.rows() != expected) std::abort();
  return 0;
}
