#include "engine/http/simple_head_memo.hpp"

#include <algorithm>
#include <cstring>

namespace lueng::http {

namespace {
thread_local SimpleHeadMemo this_thread_memo;
}  // namespace

SimpleHeadMemo& SimpleHeadMemo::for_this_thread() {
  return this_thread_memo;
}

bool SimpleHeadMemo::read(const char* data, size_t length,
                          std::vector<ResponseData::HeaderRef>& headers, SimpleHead& head) {
  if (head_.length != 0 && length >= head_.length &&
      std::memcmp(data, bytes_.data(), head_.length) == 0) {
    headers.assign(headers_.begin(), headers_.begin() + static_cast<ptrdiff_t>(header_count_));
    head = head_;
    ++recalls_;
    return true;
  }
  if (recall_with_other_length(data, length, headers, head)) {
    ++recalls_;
    return true;
  }
  if (!read_simple_head(data, length, headers, head)) return false;
  remember(data, headers, head);
  return true;
}

// The remembered head with other Content-Length digits is the same head to
// read_simple_head(): the digits are all it looks at in that value (1 to 18 of
// them, then what followed them before), and every other byte is the same.
bool SimpleHeadMemo::recall_with_other_length(const char* data, size_t length,
                                              std::vector<ResponseData::HeaderRef>& headers,
                                              SimpleHead& head) const {
  size_t digits_at = head_.content_length_at;
  size_t digits_end = digits_at + head_.content_length_digits;
  if (head_.length == 0 || length < digits_at || std::memcmp(data, bytes_.data(), digits_at) != 0)
    return false;
  // The run of digits, up to one more than parse_content_length() takes.
  size_t digits = 0;
  while (digits_at + digits < length && digits <= 18 && data[digits_at + digits] >= '0' &&
         data[digits_at + digits] <= '9')
    ++digits;
  uint64_t value;
  size_t tail = head_.length - digits_end;
  if (!parse_content_length({data + digits_at, digits}, value) ||
      digits_at + digits + tail > length ||
      std::memcmp(data + digits_at + digits, bytes_.data() + digits_end, tail) != 0)
    return false;

  // Offsets past the digits move by the difference in their count.
  auto shift = static_cast<int64_t>(digits) - static_cast<int64_t>(head_.content_length_digits);
  auto moved = [&](uint32_t offset) {
    return offset > digits_at ? static_cast<uint32_t>(offset + shift) : offset;
  };
  headers.resize(header_count_);
  for (size_t i = 0; i < header_count_; ++i) {
    const ResponseData::HeaderRef& from = headers_[i];
    headers[i] = {
        moved(from.name_offset), from.name_length, moved(from.value_offset),
        from.value_offset == digits_at ? static_cast<uint32_t>(digits) : from.value_length};
  }
  head = head_;
  head.length = static_cast<size_t>(static_cast<int64_t>(head_.length) + shift);
  head.content_length = value;
  head.content_length_digits = digits;
  return true;
}

void SimpleHeadMemo::remember(const char* data, const std::vector<ResponseData::HeaderRef>& headers,
                              const SimpleHead& head) {
  if (head.length > kMaxBytes || headers.size() > kMaxHeaders) {
    forget();
    return;
  }
  std::memcpy(bytes_.data(), data, head.length);
  std::copy(headers.begin(), headers.end(), headers_.begin());
  header_count_ = headers.size();
  head_ = head;
}

}  // namespace lueng::http
