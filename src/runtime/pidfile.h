// --pidfile FILE (Suricata's option): the running process's id in a file,
// so init scripts and logrotate can signal it. A file naming a live process
// means another instance runs: starting is refused. A stale file (its
// process is gone, or unreadable content) is replaced.
#pragma once
#include <string>

#include "core/result.h"

namespace pasban::runtime {

class PidFile {
 public:
  PidFile() = default;
  ~PidFile() { remove(); }
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

  // Writes getpid() to path; an error names the file and the reason.
  core::Status create(const std::string& path);
  // Removes the file if this object wrote it (idempotent).
  void remove();
  const std::string& path() const { return path_; }

  // The pid in a pid file's text ("1234\n"), or 0 when it holds none.
  static long parse_pid(const std::string& text);

 private:
  std::string path_;
};

}  // namespace pasban::runtime
