#include "runtime/pidfile.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "core/file.h"

namespace pasban::runtime {
namespace {

// A process exists when signal 0 can be sent to it, or when it exists but
// belongs to someone else (EPERM).
bool process_alive(long pid) {
  if (pid <= 0) return false;
  return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

long PidFile::parse_pid(const std::string& text) {
  std::string_view s = text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty() || s.size() > 10) return 0;
  long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

core::Status PidFile::create(const std::string& path) {
  std::string old;
  if (core::read_whole_file(path, old)) {
    const long pid = parse_pid(old);
    if (pid != 0 && pid != long(::getpid()) && process_alive(pid))
      return core::make_error("pid file " + path + ": process " + std::to_string(pid) +
                              " is running; is another instance up? (remove the file if not)");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return core::make_error("pid file " + path + ": " + std::strerror(errno));
  const std::string text = std::to_string(long(::getpid())) + "\n";
  const bool wrote = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
  const int saved = errno;
  ::close(fd);
  if (!wrote) {
    ::unlink(path.c_str());
    return core::make_error("pid file " + path + ": write failed: " + std::strerror(saved));
  }
  path_ = path;
  return {};
}

void PidFile::remove() {
  if (path_.empty()) return;
  ::unlink(path_.c_str());
  path_.clear();
}

}  // namespace pasban::runtime
