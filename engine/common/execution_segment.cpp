#include "engine/common/execution_segment.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

#include <fmt/format.h>

namespace lueng {

namespace {

using Wide = __int128;

// Digits a number may carry: more than any split needs, and an int64 holds them.
constexpr int kMaxDigits = 18;

Fraction reduced(Wide num, Wide den) {
  if (den < 0) num = -num, den = -den;
  Wide a = num < 0 ? -num : num, b = den;
  while (b != 0) a = std::exchange(b, a % b);
  if (a == 0) a = 1;
  return {static_cast<int64_t>(num / a), static_cast<int64_t>(den / a)};
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A decimal whole number with an optional sign, at most kMaxDigits digits after
// leading zeros; false when it is not one (or too long).
bool parse_whole(std::string_view text, int64_t& out) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (!all_digits(text)) return false;
  text.remove_prefix(std::min(text.find_first_not_of('0'), text.size()));
  if (text.size() > kMaxDigits) return false;
  int64_t value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  out = negative ? -value : value;
  return true;
}

// "1.25", "-0.5", ".5", "5.", "2e-1", "1E0": Go's big.Rat.SetString, as k6 reads
// decimals. False when `text` is not one or needs more than kMaxDigits digits.
bool parse_decimal(std::string_view text, Fraction& out) {
  int64_t exponent = 0;
  if (size_t e = text.find_first_of("eE"); e != std::string_view::npos) {
    if (!parse_whole(text.substr(e + 1), exponent) || exponent > 100 || exponent < -100)
      return false;
    text = text.substr(0, e);
  }
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  size_t dot = text.find('.');
  std::string digits(text.substr(0, dot));
  if (dot != std::string_view::npos) {
    std::string_view decimals = text.substr(dot + 1);
    if (!decimals.empty() && !all_digits(decimals)) return false;
    digits += decimals;
    exponent -= static_cast<int64_t>(decimals.size());
  }
  if (!all_digits(digits)) return false;
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  while (!digits.empty() && digits.back() == '0' && exponent < 0) {
    digits.pop_back();  // 0.50 is 0.5: trailing zeros cost no precision
    ++exponent;
  }
  if (digits.empty()) {
    out = {0, 1};
    return true;
  }
  if (digits.size() > kMaxDigits) return false;
  Wide mantissa = 0;
  for (char c : digits) mantissa = mantissa * 10 + (c - '0');
  if (negative) mantissa = -mantissa;
  // Anything from 10^18 up or finer than 10^-18 is no part of [0, 1] lueng can use.
  if (exponent + static_cast<int64_t>(digits.size()) > kMaxDigits || exponent < -kMaxDigits)
    return false;
  Wide scale = 1;
  for (int64_t i = 0; i < (exponent < 0 ? -exponent : exponent); ++i) scale *= 10;
  out = exponent < 0 ? reduced(mantissa, scale) : reduced(mantissa * scale, 1);
  return true;
}

// b - a.
Fraction difference(const Fraction& a, const Fraction& b) {
  return reduced(static_cast<Wide>(b.num) * a.den - static_cast<Wide>(a.num) * b.den,
                 static_cast<Wide>(b.den) * a.den);
}

// The least common denominator of the lengths of the parts between `points`, or
// 0 when it is above `limit`.
int64_t lcd_of(const std::vector<Fraction>& points, int64_t limit) {
  int64_t lcd = 1;
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    int64_t den = difference(points[i], points[i + 1]).den;
    Wide next = static_cast<Wide>(lcd / std::gcd(lcd, den)) * den;
    if (next > limit) return 0;
    lcd = static_cast<int64_t>(next);
  }
  return lcd;
}

}  // namespace

bool operator<(const Fraction& a, const Fraction& b) {
  return static_cast<Wide>(a.num) * b.den < static_cast<Wide>(b.num) * a.den;
}

Fraction Fraction::of(int64_t num, int64_t den) {
  return reduced(num, den);
}

std::string Fraction::text() const {
  return den == 1 ? std::to_string(num) : fmt::format("{}/{}", num, den);
}

std::string parse_fraction(std::string_view text, Fraction& out) {
  auto invalid = [&] {
    return fmt::format("'{}' is not a valid percentage, decimal, fraction or interval value", text);
  };
  if (text.ends_with('%')) {
    int64_t percent = 0;
    if (!parse_whole(text.substr(0, text.size() - 1), percent))
      return fmt::format("'{}' is not a valid percentage (a whole number, e.g. 25%)", text);
    out = reduced(percent, 100);
    return "";
  }
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    int64_t num = 0, den = 0;
    std::string_view denominator = text.substr(slash + 1);
    if (!parse_whole(text.substr(0, slash), num) || !all_digits(denominator) ||
        !parse_whole(denominator, den))
      return invalid();
    if (den == 0) return fmt::format("'{}' divides by zero", text);
    out = reduced(num, den);
    return "";
  }
  if (!parse_decimal(text, out)) return invalid();
  return "";
}

namespace {

std::string check_segment(const Fraction& from, const Fraction& to) {
  if (from < Fraction{0, 1})
    return fmt::format("segment start value must be at least 0 but was {}", from.text());
  if (!(from < to))
    return fmt::format("segment start ({}) must be less than its end ({})", from.text(), to.text());
  if (Fraction{1, 1} < to)
    return fmt::format("segment end value can't be more than 1 but was {}", to.text());
  if (to.den > kMaxSegmentDenominator || from.den > kMaxSegmentDenominator)
    return fmt::format("segment {}:{} is finer than 1/{}", from.text(), to.text(),
                       kMaxSegmentDenominator);
  return "";
}

}  // namespace

std::string parse_execution_segment(std::string_view text, ExecutionSegment& out) {
  if (text.empty()) {
    out = {};
    return "";
  }
  Fraction from{0, 1}, to{1, 1};
  if (size_t colon = text.find(':'); colon != std::string_view::npos) {
    if (std::string problem = parse_fraction(text.substr(0, colon), from); !problem.empty())
      return problem;
    text.remove_prefix(colon + 1);
  }
  if (std::string problem = parse_fraction(text, to); !problem.empty()) return problem;
  if (std::string problem = check_segment(from, to); !problem.empty()) return problem;
  out = {from, to};
  return "";
}

std::string parse_segment_sequence(std::string_view text, std::vector<Fraction>& out) {
  out.clear();
  if (text.empty()) return "";
  std::vector<Fraction> points;
  for (size_t begin = 0;;) {
    size_t comma = text.find(',', begin);
    Fraction point;
    std::string_view part = text.substr(begin, comma - begin);
    if (std::string problem = parse_fraction(part, point); !problem.empty()) return problem;
    if (!points.empty())
      if (std::string problem = check_segment(points.back(), point); !problem.empty())
        return problem;
    points.push_back(point);
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  if (points.size() < 2)
    return fmt::format("at least 2 points are needed for an execution segment sequence, {} given",
                       points.size());
  out = std::move(points);
  return "";
}

std::string sequence_text(const std::vector<Fraction>& points) {
  std::string text;
  for (const Fraction& point : points) text += (text.empty() ? "" : ",") + point.text();
  return text;
}

ExecutionTuple::ExecutionTuple() = default;

std::string ExecutionTuple::make(const ExecutionSegment& segment,
                                 const std::vector<Fraction>& points, ExecutionTuple& out) {
  std::vector<Fraction> filled = points;
  if (filled.empty()) {
    if (segment.whole()) {
      out = ExecutionTuple();
      return "";
    }
    filled = {segment.from, segment.to};
  }
  if (Fraction{0, 1} < filled.front()) filled.insert(filled.begin(), Fraction{0, 1});
  if (filled.back() < Fraction{1, 1}) filled.push_back({1, 1});
  auto at = std::find(filled.begin(), filled.end(), segment.from);
  if (at == filled.end() || at + 1 == filled.end() || *(at + 1) != segment.to)
    return fmt::format("segment {} is not one of the sequence {}", segment.text(),
                       sequence_text(filled));
  int64_t lcd = lcd_of(filled, kMaxSegmentDenominator);
  if (lcd == 0)
    return fmt::format(
        "the sequence {} is split finer than 1/{} (its parts' least common denominator)",
        sequence_text(filled), kMaxSegmentDenominator);
  // Striping deals each unit of the cycle to the first part due one: up to
  // parts x lcd steps, which stay well under a second within this bound.
  if (static_cast<int64_t>(filled.size() - 1) * lcd > kMaxStripingSteps)
    return fmt::format(
        "the sequence has {} parts with a cycle of {}: more than lueng stripes ({} "
        "parts times cycle at most; {} equal parts)",
        filled.size() - 1, lcd, kMaxStripingSteps, kMaxEqualParts);
  ExecutionTuple tuple;
  tuple.segment_ = segment;
  tuple.points_ = std::move(filled);
  tuple.index_ = static_cast<size_t>(at - tuple.points_.begin());
  tuple.lcd_ = lcd;
  tuple.stripe();
  out = std::move(tuple);
  return "";
}

// k6's striping: each segment of normalized length k/lcd owns k of every lcd
// units, spread as evenly as it can be. Unit i of the cycle goes to the first
// segment (largest first, ties in sequence order) that is due one: one whose
// count of units so far, spread over the cycle, has fallen behind i.
void ExecutionTuple::stripe() {
  size_t parts = points_.size() - 1;
  std::vector<int64_t> share(parts);
  for (size_t i = 0; i < parts; ++i) {
    Fraction length = difference(points_[i], points_[i + 1]);
    share[i] = length.num * (lcd_ / length.den);
  }
  std::vector<size_t> order(parts);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return share[x] > share[y]; });
  positions_.assign(parts, {});
  std::vector<int64_t> chosen(parts, 0);
  for (int64_t i = 0; i < lcd_; ++i)
    for (size_t k = 0; k < parts; ++k) {
      int64_t num = chosen[k] * lcd_, den = share[order[k]];
      if (i > num / den || (i == num / den && num % den == 0)) {
        ++chosen[k];
        positions_[order[k]].push_back(i);
        break;
      }
    }
}

int64_t ExecutionTuple::scale_in(size_t segment_index, int64_t value) const {
  if (whole()) return value;
  const std::vector<int64_t>& owned = positions_[segment_index];
  int64_t cycles = value / lcd_, rest = value % lcd_;
  return cycles * static_cast<int64_t>(owned.size()) +
         (std::lower_bound(owned.begin(), owned.end(), rest) - owned.begin());
}

std::optional<ExecutionTuple> ExecutionTuple::for_value(int64_t value) const {
  if (value < 1) return std::nullopt;
  if (value % lcd_ == 0) return *this;
  std::vector<Fraction> points{{0, 1}};
  ExecutionSegment segment;
  int64_t before = 0;
  bool present = false;
  for (size_t i = 0; i + 1 < points_.size(); ++i) {
    int64_t part = scale_in(i, value);
    if (part == 0) continue;
    Fraction from = reduced(before, value);
    before += part;
    points.push_back(reduced(before, value));
    if (i == index_) {
      segment = {from, points.back()};
      present = true;
    }
  }
  if (!present) return std::nullopt;
  // The new parts' denominators divide `value` (a count of VUs, bounded), and so
  // does their least common denominator.
  ExecutionTuple tuple;
  tuple.segment_ = segment;
  tuple.index_ =
      static_cast<size_t>(std::find(points.begin(), points.end(), segment.from) - points.begin());
  tuple.points_ = std::move(points);
  tuple.lcd_ = lcd_of(tuple.points_, value);
  tuple.stripe();
  return tuple;
}

int64_t ExecutionTuple::global_index(int64_t local_index) const {
  const std::vector<int64_t>& owned = positions_[index_];
  auto n = static_cast<int64_t>(owned.size());
  return local_index / n * lcd_ + owned[static_cast<size_t>(local_index % n)];
}

std::vector<int64_t> ExecutionTuple::offsets() const {
  const std::vector<int64_t>& owned = positions_[index_];
  std::vector<int64_t> gaps;
  for (size_t i = 1; i < owned.size(); ++i) gaps.push_back(owned[i] - owned[i - 1]);
  gaps.push_back(owned.front() + lcd_ - owned.back());
  return gaps;
}

}  // namespace lueng
