#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/text_table.hpp"

using lueng::ColumnType;
using lueng::CsvOptions;
using lueng::TableError;
using lueng::TextTable;

namespace {

TextTable load(std::string_view text, const CsvOptions& options = {}) {
  TableError error;
  auto table = TextTable::from_csv(text, options, &error);
  INFO("line " << error.line << ": " << error.message);
  REQUIRE(table);
  return std::move(*table);
}

TableError load_error(std::string_view text, const CsvOptions& options = {}) {
  TableError error;
  REQUIRE_FALSE(TextTable::from_csv(text, options, &error));
  return error;
}

std::vector<std::string> row(const TextTable& table, size_t r) {
  std::vector<std::string> cells;
  for (size_t c = 0; c < table.columns(); ++c) cells.emplace_back(table.cell(r, c));
  return cells;
}

using Row = std::vector<std::string>;

}  // namespace

TEST_CASE("CSV: a header row names the columns, records become rows") {
  TextTable table = load("name,nights\nAna,3\nBruno,1\n");
  CHECK(table.header() == Row{"name", "nights"});
  REQUIRE(table.rows() == 2);
  CHECK(row(table, 0) == Row{"Ana", "3"});
  CHECK(row(table, 1) == Row{"Bruno", "1"});
  CHECK(table.column_of("nights") == 1u);
  CHECK_FALSE(table.column_of("email"));
}

TEST_CASE("CSV: quoted fields keep separators, doubled quotes and line breaks") {
  TextTable table = load("name,note\n\"Silva, Ana\",\"said \"\"hi\"\"\"\n\"Bo\",\"two\nlines\"\n");
  REQUIRE(table.rows() == 2);
  CHECK(row(table, 0) == Row{"Silva, Ana", "said \"hi\""});
  CHECK(row(table, 1) == Row{"Bo", "two\nlines"});
}

TEST_CASE("CSV: CRLF records, no final line break, blank lines, a byte order mark") {
  TextTable table = load("\xEF\xBB\xBFid,city\r\n1,Lima\r\n\r\n2,Quito");
  CHECK(table.header() == Row{"id", "city"});
  REQUIRE(table.rows() == 2);
  CHECK(row(table, 0) == Row{"1", "Lima"});
  CHECK(row(table, 1) == Row{"2", "Quito"});
}

TEST_CASE("CSV: spaces are part of a field, empty fields stay empty") {
  TextTable table = load("a,b,c\n x , ,\n");
  CHECK(row(table, 0) == Row{" x ", " ", ""});
}

TEST_CASE("CSV: without a header every record is a row, another separator") {
  CsvOptions options;
  options.header = false;
  options.separator = ';';
  TextTable table = load("1;a,b\n2;c\n", options);
  CHECK(table.header().empty());
  REQUIRE(table.rows() == 2);
  CHECK(row(table, 0) == Row{"1", "a,b"});
}

TEST_CASE("CSV: a record with missing or extra fields is an error naming its line") {
  TableError missing = load_error("a,b,c\n1,2,3\n4,5\n");
  CHECK(missing.line == 3);
  CHECK(missing.message == "2 fields where the header has 3");
  TableError extra = load_error("a\n\"x\ny\"\n1,2\n");
  CHECK(extra.line == 4);
}

TEST_CASE("CSV: malformed quotes are errors naming the line") {
  TableError stray = load_error("a,b\n1,2\n3,x\"y\n");
  CHECK(stray.line == 3);
  CHECK_THAT(stray.message, Catch::Contains("malformed quotes"));
  TableError after = load_error("a,b\n\"x\"y,2\n");
  CHECK(after.line == 2);
  TableError open = load_error("a,b\n1,2\n\n\"never\nclosed,3\n");
  CHECK(open.line == 4);
  CHECK(open.message == "a quoted field is never closed");
}

TEST_CASE("CSV: typed columns are checked when the table loads") {
  CsvOptions options;
  options.types_by_name = {{"nights", ColumnType::kNumber}, {"vip", ColumnType::kBoolean}};
  TextTable table = load("name,nights,vip\nAna,3,true\nBo,-1.5e1,FALSE\nCy,,\n", options);
  CHECK(table.type(0) == ColumnType::kString);
  CHECK(table.type(1) == ColumnType::kNumber);
  CHECK(table.type(2) == ColumnType::kBoolean);

  TableError number = load_error("name,nights,vip\nAna,3,true\nBo,two,true\n", options);
  CHECK(number.line == 3);
  CHECK(number.message == "column 'nights' is not a number: 'two'");
  TableError boolean = load_error("name,nights,vip\nAna,3,yes\n", options);
  CHECK(boolean.message == "column 'vip' is not a boolean: 'yes'");
  TableError unknown = load_error("name,days,vip\n", options);
  CHECK(unknown.message == "types: no column 'nights' in the header");

  CsvOptions by_position;
  by_position.header = false;
  by_position.types_by_position = {{2, ColumnType::kNumber}};
  CHECK(load("a,1\nb,2\n", by_position).type(1) == ColumnType::kNumber);
  by_position.types_by_position = {{3, ColumnType::kNumber}};
  CHECK(load_error("a,1\n", by_position).message == "types: no column 3 (the records have 2)");
}

TEST_CASE("CSV: a header naming a column twice, and an empty file with a header") {
  CHECK(load_error("a,b,a\n").message == "the header names column 'a' twice");
  CHECK(load_error("").message == "the file is empty: no header row");
  CsvOptions options;
  options.header = false;
  CHECK(load("", options).rows() == 0);
}

TEST_CASE("CSV: the table costs its text plus four bytes per cell") {
  std::string text = "id,email\n";
  for (int i = 0; i < 1000; ++i)
    text += std::to_string(i) + ",guest" + std::to_string(i) + "@example.com\n";
  TextTable table = load(text);
  CHECK(table.rows() == 1000);
  CHECK(table.memory_bytes() <= text.size() + 2000 * 4);
}

TEST_CASE("typed cells: numbers as Lua writes them, booleans in any case") {
  CHECK(lueng::parse_number_cell("42") == 42.0);
  CHECK(lueng::parse_number_cell("+0.5") == 0.5);
  CHECK(lueng::parse_number_cell("1e3") == 1000.0);
  CHECK_FALSE(lueng::parse_number_cell(""));
  CHECK_FALSE(lueng::parse_number_cell(" 1"));
  CHECK_FALSE(lueng::parse_number_cell("1x"));
  CHECK_FALSE(lueng::parse_number_cell("inf"));
  CHECK_FALSE(lueng::parse_number_cell("nan"));
  CHECK(lueng::parse_boolean_cell("True") == true);
  CHECK(lueng::parse_boolean_cell("false") == false);
  CHECK_FALSE(lueng::parse_boolean_cell("1"));
}

TEST_CASE("lines: one cell per line, CRLF or LF, no empty last line") {
  TextTable table = TextTable::from_lines("one\r\ntwo\n\nfour\n");
  REQUIRE(table.rows() == 4);
  CHECK(table.cell(0, 0) == "one");
  CHECK(table.cell(1, 0) == "two");
  CHECK(table.cell(2, 0) == "");
  CHECK(table.cell(3, 0) == "four");
  CHECK(TextTable::from_lines("").rows() == 0);
  CHECK(TextTable::from_lines("last").rows() == 1);
}

TEST_CASE("CSV file: read in chunks, it loads as the whole text does") {
  std::string text = "\xEF\xBB\xBFid,note\r\n";
  for (int i = 0; i < 60000; ++i)
    text += std::to_string(i) + (i % 3 ? ",plain\r\n" : ",\"quoted, with a\nline break\"\r\n");
  REQUIRE(text.size() > (1 << 20));  // a record crosses the first 1 MiB chunk
  std::string path = std::filesystem::temp_directory_path() / "lueng-test-text-table.csv";
  {
    std::ofstream file(path, std::ios::binary);
    file << text;
  }
  TableError error;
  auto from_file = TextTable::from_csv_file(path, {}, &error);
  REQUIRE(from_file);
  TextTable whole = load(text);
  REQUIRE(from_file->rows() == 60000);
  CHECK(from_file->header() == whole.header());
  for (size_t r = 0; r < whole.rows(); r += 997) CHECK(row(*from_file, r) == row(whole, r));
  CHECK(row(*from_file, 59997) == Row{"59997", "quoted, with a\nline break"});

  std::ofstream(path, std::ios::binary) << text << "1,\"open\n";
  REQUIRE_FALSE(TextTable::from_csv_file(path, {}, &error));
  CHECK(error.line == 80002);  // 1 header line, 40,000 records of one line, 20,000 of two
  CHECK(error.message == "a quoted field is never closed");
  std::filesystem::remove(path);
  REQUIRE_FALSE(TextTable::from_csv_file(path, {}, &error));
  CHECK(error.message == "No such file or directory");
}
