#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lueng {

// What a typed column's cells are read as (lueng.data's opts.types).
enum class ColumnType : uint8_t { kString, kNumber, kBoolean };

struct CsvOptions {
  bool header = true;    // the first record names the columns
  char separator = ',';  // between fields
  // Typed columns, by header name or by 1-based position (when there is no header).
  std::vector<std::pair<std::string, ColumnType>> types_by_name;
  std::vector<std::pair<size_t, ColumnType>> types_by_position;
};

// What went wrong loading a table, and on which line of the text (1-based; 0
// when it is not a line's fault).
struct TableError {
  std::string message;
  size_t line = 0;
};

// A table of text cells loaded once and then only read, by any number of threads:
// every cell of every row in one contiguous byte buffer, found through one
// 32-bit end offset per cell. That is the whole cost of a cell (4 bytes beyond
// its text), where a std::string per cell would cost 32 and a heap block.
class TextTable {
 public:
  // RFC 4180 CSV (through libcsv): quoted fields with embedded separators,
  // quotes ("") and line breaks; LF or CRLF records; a UTF-8 byte order mark is
  // skipped; blank lines are skipped. Every record must have as many fields as
  // the first (or the header). Typed columns are checked here, so that reading a
  // cell later cannot fail. On failure returns nullopt with *error set.
  static std::optional<TextTable> from_csv(std::string_view text, const CsvOptions& options,
                                           TableError* error);
  // The same, read from a file a chunk at a time, so that loading a large file
  // never holds its text and its table at once. An unreadable file is an error of
  // line 0 whose message is the system's ("No such file or directory").
  static std::optional<TextTable> from_csv_file(const std::string& path, const CsvOptions& options,
                                                TableError* error);
  // One cell per line (LF or CRLF; a final line break ends the last line rather
  // than starting an empty one), no header.
  static TextTable from_lines(std::string_view text);

  size_t rows() const { return rows_; }
  size_t columns() const { return columns_; }
  // 0-based row and column, both in range.
  std::string_view cell(size_t row, size_t column) const {
    size_t k = row * columns_ + column;
    uint32_t begin = k == 0 ? 0 : ends_[k - 1];
    return {bytes_.data() + begin, ends_[k] - begin};
  }
  // Column names (empty without a header row) and their 0-based position.
  const std::vector<std::string>& header() const { return header_; }
  std::optional<size_t> column_of(std::string_view name) const;
  ColumnType type(size_t column) const {
    return types_.empty() ? ColumnType::kString : types_[column];
  }
  // Bytes this table fills (text and offsets), for memory accounting: what it
  // reserved beyond that was never written, so its pages are not resident.
  size_t memory_bytes() const { return bytes_.size() + ends_.size() * sizeof(uint32_t); }

 private:
  friend class CsvLoader;
  std::string bytes_;
  std::vector<uint32_t> ends_;  // end of cell k in bytes_; cell k begins where k-1 ends
  size_t rows_ = 0;
  size_t columns_ = 0;
  std::vector<std::string> header_;
  std::vector<ColumnType> types_;  // per column; empty when all are strings
};

// A typed cell's value: a number as Lua or JSON writes one (decimal, exponent,
// "inf"/"nan" not accepted), a boolean as true or false in any letter case.
// Empty cells of typed columns hold nothing (nil in Lua); nullopt for anything else.
std::optional<double> parse_number_cell(std::string_view cell);
std::optional<bool> parse_boolean_cell(std::string_view cell);

}  // namespace lueng
