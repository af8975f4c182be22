#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace lueng::output {

// A file an output streams into: plain, or gzip-compressed when the path ends
// in ".gz", or standard output for the path "-" (k6's `--out json=-`). Buffers
// writes so each costs a copy, not a system call.
class FileWriter {
 public:
  // nullptr with *error naming the path when it cannot be created.
  static std::unique_ptr<FileWriter> open(const std::string& path, std::string* error);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  // The buffer to append to; call flush_if_full() after appending.
  std::string& buffer() { return buffer_; }
  void flush_if_full() {
    if (buffer_.size() >= kFlushAt) flush();
  }
  // Writes the buffer out. A failure is remembered; later writes are dropped.
  void flush();
  // Flushes and closes. Returns "" or the first problem, naming the path.
  std::string close();
  const std::string& path() const { return path_; }

 private:
  FileWriter(std::string path, void* handle, bool gzip);
  static constexpr size_t kFlushAt = 256 * 1024;

  std::string path_;
  void* handle_;  // FILE* or gzFile
  bool gzip_;
  std::string buffer_;
  std::string error_;
};

bool ends_with(std::string_view text, std::string_view suffix);

}  // namespace lueng::output
