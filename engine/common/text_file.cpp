#include "engine/common/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lueng {

namespace {

// "PATH: cannot write: WHAT[: strerror]"
std::string problem(const std::string& path, const std::string& what, int error = 0) {
  std::string text = path + ": cannot write: " + what;
  if (error) text += (what.empty() ? "" : ": ") + std::string(std::strerror(error));
  return text;
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A symlink, a device, a FIFO: opened and written where it is. O_NONBLOCK keeps
// open() of a FIFO without a reader from waiting forever (it fails with ENXIO).
bool write_in_place(const std::string& path, std::string_view text, std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0666);
  if (fd < 0) {
    *error =
        problem(path, errno == ENXIO ? "a FIFO with no reader" : "", errno == ENXIO ? 0 : errno);
    return false;
  }
  struct stat target;
  if (fstat(fd, &target) == 0 && S_ISDIR(target.st_mode)) {
    ::close(fd);
    *error = problem(path, "it is a directory");
    return false;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  bool ok = write_all(fd, text);
  int write_errno = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) *error = problem(path, "", write_errno ? write_errno : EIO);
  return ok;
}

bool write_and_rename(const std::string& path, std::string_view text, std::string* error) {
  std::string temporary = path + ".XXXXXX";
  int fd = mkstemp(temporary.data());
  if (fd < 0) {
    *error = problem(path, "", errno);
    return false;
  }
  // mkstemp makes the file 0600; a report is as readable as any file the user makes.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  bool ok = write_all(fd, text);
  int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (ok && std::rename(temporary.c_str(), path.c_str()) == 0) return true;
  *error = problem(path, "", ok ? errno : (saved ? saved : EIO));
  std::remove(temporary.c_str());
  return false;
}

}  // namespace

bool write_text_file(const std::string& path, std::string_view text, std::string* error) {
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      *error = problem(path, "it is a directory");
      return false;
    }
    if (!S_ISREG(st.st_mode)) return write_in_place(path, text, error);
  }
  return write_and_rename(path, text, error);
}

std::string check_writable(const std::string& path) {
  if (path.empty()) return "an empty path";
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return problem(path, "it is a directory");
    if (S_ISLNK(st.st_mode)) {
      struct stat target;
      if (stat(path.c_str(), &target) == 0) {
        if (S_ISDIR(target.st_mode)) return problem(path, "it links to a directory");
        return access(path.c_str(), W_OK) == 0 ? "" : problem(path, "", errno);
      }
      // A link to a file yet to be made: its folder must take it.
      char target_path[4096];
      ssize_t n = readlink(path.c_str(), target_path, sizeof target_path - 1);
      if (n <= 0) return problem(path, "", errno);
      std::string resolved(target_path, static_cast<size_t>(n));
      if (resolved[0] != '/') resolved = directory_of(path) + "/" + resolved;
      return access(directory_of(resolved).c_str(), W_OK | X_OK) == 0 ? ""
                                                                      : problem(path, "", errno);
    }
    if (!S_ISREG(st.st_mode))
      return access(path.c_str(), W_OK) == 0 ? "" : problem(path, "", errno);
  }
  // A new or regular file is renamed into place: its folder must be writable.
  std::string directory = directory_of(path);
  struct stat dir;
  if (stat(directory.c_str(), &dir) != 0 || !S_ISDIR(dir.st_mode))
    return problem(path, "no folder " + directory);
  if (access(directory.c_str(), W_OK | X_OK) != 0)
    return problem(path, "its folder " + directory + " is not writable", errno);
  return "";
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return std::move(text).str();
}

}  // namespace lueng
