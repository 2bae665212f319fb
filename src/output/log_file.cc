#include "output/log_file.h"

#include <cerrno>
#include <cstring>

namespace pasban::output {

LogFile::~LogFile() { close(); }

std::string LogFile::resolve(const std::string& dir, const std::string& filename) {
  if (filename.empty() || filename.front() == '/' || dir.empty()) return filename;
  return dir.back() == '/' ? dir + filename : dir + "/" + filename;
}

bool LogFile::open(const std::string& path, bool append) {
  close();
  path_ = path;
  f_ = std::fopen(path.c_str(), append ? "ab" : "wb");
  if (!f_) {
    error_ = path + ": " + std::strerror(errno);
    return false;
  }
  std::setvbuf(f_, nullptr, _IOFBF, 1 << 16);
  return true;
}

void LogFile::write(std::string_view line) {
  if (sink_) {
    sink_->write_line(stream_, line);
    return;
  }
  if (!f_) return;
  if (std::fwrite(line.data(), 1, line.size(), f_) != line.size() && error_.empty())
    error_ = path_ + ": write failed: " + std::strerror(errno);
}

bool LogFile::flush() {
  if (f_ && std::fflush(f_) != 0 && error_.empty())
    error_ = path_ + ": flush failed: " + std::strerror(errno);
  return ok();
}

bool LogFile::reopen() {
  if (!f_) return ok();
  const std::string path = path_;
  close();
  return open(path, true);
}

void LogFile::close() {
  if (!f_) return;
  flush();
  if (std::fclose(f_) != 0 && error_.empty()) error_ = path_ + ": close failed: " + std::strerror(errno);
  f_ = nullptr;
}

}  // namespace pasban::output
