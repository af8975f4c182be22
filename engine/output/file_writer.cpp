#include "engine/output/file_writer.hpp"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lueng::output {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::unique_ptr<FileWriter> FileWriter::open(const std::string& path, std::string* error) {
  if (path == "-") {  // standard output, as k6's `--out json=-`
    FILE* out = fdopen(dup(STDOUT_FILENO), "wb");
    if (!out) {
      *error = std::string("cannot write to standard output: ") + std::strerror(errno);
      return nullptr;
    }
    return std::unique_ptr<FileWriter>(new FileWriter("standard output", out, false));
  }
  bool gzip = ends_with(path, ".gz");
  void* handle = gzip ? static_cast<void*>(gzopen(path.c_str(), "wb1"))
                      : static_cast<void*>(std::fopen(path.c_str(), "wb"));
  if (!handle) {
    *error = "cannot create " + path + ": " + std::strerror(errno ? errno : ENOMEM);
    return nullptr;
  }
  return std::unique_ptr<FileWriter>(new FileWriter(path, handle, gzip));
}

FileWriter::FileWriter(std::string path, void* handle, bool gzip)
    : path_(std::move(path)), handle_(handle), gzip_(gzip) {
  buffer_.reserve(kFlushAt + 4096);
}

FileWriter::~FileWriter() {
  close();
}

void FileWriter::flush() {
  if (buffer_.empty()) return;
  if (handle_ && error_.empty()) {
    bool ok =
        gzip_ ? gzwrite(static_cast<gzFile>(handle_), buffer_.data(),
                        static_cast<unsigned>(buffer_.size())) == static_cast<int>(buffer_.size())
              : std::fwrite(buffer_.data(), 1, buffer_.size(), static_cast<FILE*>(handle_)) ==
                    buffer_.size();
    if (!ok) error_ = "cannot write " + path_ + ": " + std::strerror(errno ? errno : EIO);
  }
  buffer_.clear();
}

std::string FileWriter::close() {
  if (!handle_) return error_;
  flush();
  bool ok = gzip_ ? gzclose(static_cast<gzFile>(handle_)) == Z_OK
                  : std::fclose(static_cast<FILE*>(handle_)) == 0;
  handle_ = nullptr;
  if (!ok && error_.empty()) error_ = "cannot write " + path_ + ": " + std::strerror(errno);
  return error_;
}

}  // namespace lueng::output
