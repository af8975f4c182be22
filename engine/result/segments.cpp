#include "engine/result/segments.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <stdexcept>

namespace lueng::result {

namespace {

std::optional<int64_t> whole_number(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() || value < 0)
    return std::nullopt;
  return value;
}

__int128 cross(int64_t a, int64_t b) {
  return static_cast<__int128>(a) * b;
}

}  // namespace

std::string Fraction::text() const {
  if (num == 0) return "0";
  if (num == den) return "1";
  return std::to_string(num) + "/" + std::to_string(den);
}

std::optional<Fraction> parse_fraction(std::string_view text) {
  size_t slash = text.find('/');
  auto num = whole_number(text.substr(0, slash));
  auto den = slash == std::string_view::npos ? std::optional<int64_t>(1)
                                             : whole_number(text.substr(slash + 1));
  if (!num || !den || *den == 0 || *num > *den) return std::nullopt;
  int64_t divisor = std::gcd(*num, *den);
  return Fraction{*num / divisor, *den / divisor};
}

bool less(const Fraction& a, const Fraction& b) {
  return cross(a.num, b.den) < cross(b.num, a.den);
}
bool equal(const Fraction& a, const Fraction& b) {
  return cross(a.num, b.den) == cross(b.num, a.den);
}

SegmentSpan span_of(const std::optional<ExecutionSegment>& segment) {
  if (!segment) return {{0, 1}, {1, 1}};
  auto from = parse_fraction(segment->from);
  auto to = parse_fraction(segment->to);
  if (!from) throw std::invalid_argument("'" + segment->from + "' is no fraction from 0 to 1");
  if (!to) throw std::invalid_argument("'" + segment->to + "' is no fraction from 0 to 1");
  if (!less(*from, *to)) throw std::invalid_argument("it is empty");
  return {*from, *to};
}

SpanCoverage cover(const std::vector<SegmentSpan>& spans) {
  SpanCoverage out;
  std::vector<size_t> order(spans.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return less(spans[a].from, spans[b].from); });
  Fraction reached{0, 1};  // the covered part so far ends here
  for (size_t k = 0; k < order.size(); ++k) {
    const SegmentSpan& span = spans[order[k]];
    if (k > 0 && less(span.from, reached) && out.overlap_first < 0) {
      // The earlier span that reaches furthest is one this one overlaps.
      size_t other = order[0];
      for (size_t j = 0; j < k; ++j)
        if (less(span.from, spans[order[j]].to)) other = order[j];
      out.overlap_first = static_cast<int>(std::min(other, order[k]));
      out.overlap_second = static_cast<int>(std::max(other, order[k]));
    }
    if (less(reached, span.from)) {
      out.coverage.missing.push_back(SegmentSpan{reached, span.from}.text());
      if (k > 0) out.contiguous = false;
    }
    out.coverage.covered.push_back(span.text());
    if (less(reached, span.to)) reached = span.to;
  }
  if (less(reached, Fraction{1, 1}))
    out.coverage.missing.push_back(SegmentSpan{reached, {1, 1}}.text());
  if (!order.empty()) out.hull = {spans[order.front()].from, reached};
  return out;
}

}  // namespace lueng::result
