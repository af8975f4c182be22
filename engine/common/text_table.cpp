#include "engine/common/text_table.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>

#include <csv.h>

namespace lueng {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// RFC 4180: spaces are part of a field. libcsv trims spaces and tabs around
// unquoted fields unless told that nothing is a space.
int no_spaces(unsigned char) {
  return 0;
}

const char* type_name(ColumnType type) {
  return type == ColumnType::kNumber ? "number" : "boolean";
}

std::string quoted(std::string_view cell) {
  constexpr size_t kShown = 40;
  std::string text = "'" + std::string(cell.substr(0, kShown));
  return text + (cell.size() > kShown ? "...'" : "'");
}

}  // namespace

std::optional<double> parse_number_cell(std::string_view cell) {
  double value = 0;
  const char* end = cell.data() + cell.size();
  // from_chars takes no '+', which CSV writers do emit.
  const char* begin = cell.starts_with('+') ? cell.data() + 1 : cell.data();
  auto [stop, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || stop != end || cell.empty()) return std::nullopt;
  if (value != value || value - value != 0) return std::nullopt;  // nan, inf
  return value;
}

std::optional<bool> parse_boolean_cell(std::string_view cell) {
  auto equals = [&](std::string_view word) {
    return cell.size() == word.size() && std::equal(cell.begin(), cell.end(), word.begin(),
                                                    [](char a, char b) { return (a | 0x20) == b; });
  };
  if (equals("true")) return true;
  if (equals("false")) return false;
  return std::nullopt;
}

std::optional<size_t> TextTable::column_of(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  return std::nullopt;
}

// Feeds libcsv one physical line at a time, so that whatever its callbacks find
// wrong is known to be on the line being fed.
class CsvLoader {
 public:
  CsvLoader(const CsvOptions& options, TableError* error) : options_(options), error_(error) {}

  // Begins a load of `expected_bytes` of text (an estimate is enough).
  void begin(size_t expected_bytes) {
    expected_bytes_ = expected_bytes;
    table_.bytes_.reserve(expected_bytes);  // pages never written are never resident
    csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim(&parser_, static_cast<unsigned char>(options_.separator));
    csv_set_space_func(&parser_, no_spaces);
  }

  // The next piece of the text, cut anywhere; false once something is wrong.
  bool feed(std::string_view chunk) {
    if (fed_ == 0 && chunk.starts_with(kByteOrderMark)) chunk.remove_prefix(kByteOrderMark.size());
    if (fed_ + chunk.size() > std::numeric_limits<uint32_t>::max()) {
      fail(0, "the file is larger than 4 GiB, which lueng.data does not load");
      return false;
    }
    while (!chunk.empty() && !failed_) {
      size_t end = chunk.find('\n');
      end = end == std::string_view::npos ? chunk.size() : end + 1;
      std::string_view piece = chunk.substr(0, end);
      if (!record_open_ && piece.find_first_not_of("\r\n") != std::string_view::npos) {
        record_open_ = true;  // a record starts on this line
        record_line_ = line_;
      }
      if (csv_parse(&parser_, piece.data(), piece.size(), on_field, on_record_end, this) !=
              piece.size() &&
          !failed_)
        fail(line_, csv_error(&parser_) == CSV_EPARSE
                        ? "malformed quotes (a quote inside an unquoted field, or text after "
                          "a closing quote)"
                        : csv_strerror(csv_error(&parser_)));
      if (piece.ends_with('\n')) ++line_;
      fed_ += piece.size();
      chunk.remove_prefix(end);
      reserve_offsets();
    }
    return !failed_;
  }

  std::optional<TextTable> finish() {
    if (!failed_ && csv_fini(&parser_, on_field, on_record_end, this) != 0 && !failed_)
      fail(record_line_, "a quoted field is never closed");
    csv_free(&parser_);
    if (failed_) return std::nullopt;
    if (options_.header && !header_done_) return fail(0, "the file is empty: no header row");
    return std::move(table_);
  }

 private:
  // Once the first 64 KiB are read, reserves offsets for the whole text at the
  // density seen so far (plus a tenth), so the array is not regrown and copied
  // as it fills: copying it is what would make the peak of a load exceed its
  // result. Reserved but unwritten pages cost no memory.
  void reserve_offsets() {
    constexpr size_t kSample = 64 * 1024;
    if (offsets_reserved_ || (fed_ < kSample && fed_ < expected_bytes_)) return;
    offsets_reserved_ = true;
    double per_byte = static_cast<double>(table_.ends_.size() + 1) / static_cast<double>(fed_);
    table_.ends_.reserve(
        static_cast<size_t>(per_byte * static_cast<double>(expected_bytes_) * 1.1) + 16);
  }

  static void on_field(void* field, size_t length, void* self) {
    static_cast<CsvLoader*>(self)->add_field({static_cast<const char*>(field), length});
  }
  static void on_record_end(int, void* self) { static_cast<CsvLoader*>(self)->end_record(); }

  void add_field(std::string_view field) {
    if (failed_) return;
    ++fields_;
    if (options_.header && !header_done_) {
      table_.header_.emplace_back(field);
      return;
    }
    table_.bytes_.append(field);
    table_.ends_.push_back(static_cast<uint32_t>(table_.bytes_.size()));
  }

  void end_record() {
    if (failed_) return;
    record_open_ = false;
    size_t fields = std::exchange(fields_, 0);
    if (options_.header && !header_done_) {
      header_done_ = true;
      table_.columns_ = fields;
      check_header();
      resolve_types();
      return;
    }
    if (table_.columns_ == 0 && table_.rows_ == 0) {
      table_.columns_ = fields;
      resolve_types();
      if (failed_) return;
    }
    if (fields != table_.columns_) {
      fail(line_, std::to_string(fields) + (fields == 1 ? " field where " : " fields where ") +
                      (options_.header ? "the header has " : "the first record has ") +
                      std::to_string(table_.columns_));
      return;
    }
    check_types(table_.rows_);
    ++table_.rows_;
  }

  void check_header() {
    const auto& names = table_.header_;
    for (size_t i = 0; i < names.size(); ++i)
      if (std::find(names.begin(), names.begin() + static_cast<ptrdiff_t>(i), names[i]) !=
          names.begin() + static_cast<ptrdiff_t>(i))
        fail(line_, "the header names column '" + names[i] + "' twice");
  }

  void resolve_types() {
    if (failed_ || (options_.types_by_name.empty() && options_.types_by_position.empty())) return;
    table_.types_.assign(table_.columns_, ColumnType::kString);
    for (const auto& [name, type] : options_.types_by_name) {
      std::optional<size_t> column = table_.column_of(name);
      if (!column) {
        fail(0, "types: no column '" + name + "' in " +
                    (options_.header ? "the header" : "a file without a header (use positions)"));
        return;
      }
      table_.types_[*column] = type;
    }
    for (const auto& [position, type] : options_.types_by_position) {
      if (position < 1 || position > table_.columns_) {
        fail(0, "types: no column " + std::to_string(position) + " (the records have " +
                    std::to_string(table_.columns_) + ")");
        return;
      }
      table_.types_[position - 1] = type;
    }
  }

  void check_types(size_t row) {
    for (size_t column = 0; column < table_.types_.size(); ++column) {
      ColumnType type = table_.types_[column];
      if (type == ColumnType::kString) continue;
      std::string_view cell = table_.cell(row, column);
      if (cell.empty()) continue;
      bool ok = type == ColumnType::kNumber ? parse_number_cell(cell).has_value()
                                            : parse_boolean_cell(cell).has_value();
      if (!ok) {
        std::string name = table_.header_.empty() ? std::to_string(column + 1)
                                                  : "'" + table_.header_[column] + "'";
        fail(line_, "column " + name + " is not a " + type_name(type) + ": " + quoted(cell));
        return;
      }
    }
  }

  std::nullopt_t fail(size_t line, std::string message) {
    if (!failed_ && error_) *error_ = {std::move(message), line};
    failed_ = true;
    return std::nullopt;
  }

  const CsvOptions& options_;
  TableError* error_;
  TextTable table_;
  csv_parser parser_;
  size_t expected_bytes_ = 0;
  size_t fed_ = 0;
  size_t line_ = 1;           // the physical line being fed, 1-based
  size_t record_line_ = 0;    // where the record being read began
  bool record_open_ = false;  // a record has begun and not ended
  bool offsets_reserved_ = false;
  size_t fields_ = 0;  // of the record being read
  bool header_done_ = false;
  bool failed_ = false;
};

std::optional<TextTable> TextTable::from_csv(std::string_view text, const CsvOptions& options,
                                             TableError* error) {
  CsvLoader loader(options, error);
  loader.begin(text.size());
  loader.feed(text);
  return loader.finish();
}

std::optional<TextTable> TextTable::from_csv_file(const std::string& path,
                                                  const CsvOptions& options, TableError* error) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    if (error) *error = {std::strerror(errno), 0};
    return std::nullopt;
  }
  struct stat info {};
  size_t size = fstat(fileno(file), &info) == 0 ? static_cast<size_t>(info.st_size) : 0;
  CsvLoader loader(options, error);
  loader.begin(size);
  // A chunk at a time: the file's text is never held whole beside the table.
  std::string chunk(1 << 20, '\0');
  size_t n;
  bool ok = true;
  while (ok && (n = std::fread(chunk.data(), 1, chunk.size(), file)) > 0)
    ok = loader.feed({chunk.data(), n});
  bool read_error = std::ferror(file);
  std::fclose(file);
  std::optional<TextTable> table = loader.finish();
  if (table && read_error) {
    if (error) *error = {"cannot read the file", 0};
    return std::nullopt;
  }
  return table;
}

TextTable TextTable::from_lines(std::string_view text) {
  TextTable table;
  table.columns_ = 1;
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  table.bytes_.reserve(text.size());
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    table.bytes_.append(line);
    table.ends_.push_back(static_cast<uint32_t>(table.bytes_.size()));
    ++table.rows_;
  }
  return table;
}

}  // namespace lueng
