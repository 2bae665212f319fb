// A buffered, append-only log file. A failed write or flush is reported
// (ok() turns false and the error is kept), never silently dropped.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace pasban::output {

// Where a worker's log lines go instead of a file: its record buffer,
// which hands them to the one writer of the real file (ordered_sink.h).
class LineSink {
 public:
  virtual ~LineSink() = default;
  // line includes its '\n'; stream names the output it belongs to.
  virtual void write_line(uint8_t stream, std::string_view line) = 0;
};

class LogFile {
 public:
  LogFile() = default;
  ~LogFile();
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  // Where an output named `filename` goes: an absolute name (such as
  // /dev/null) is used as it is, a relative one lives in the log directory.
  static std::string resolve(const std::string& dir, const std::string& filename);

  bool open(const std::string& path, bool append = true);
  bool is_open() const { return f_ != nullptr; }
  void write(std::string_view line);  // line must include its '\n'
  // From now on lines go to sink (as stream) instead of a file.
  void redirect(LineSink* sink, uint8_t stream) {
    sink_ = sink;
    stream_ = stream;
  }
  bool flush();
  void close();
  // Log rotation (SIGHUP): flushes into the file now open (which may have
  // been renamed), closes it and opens path() again, appending, so records
  // go to a fresh file with none lost or written twice.
  bool reopen();
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

 private:
  std::FILE* f_ = nullptr;
  LineSink* sink_ = nullptr;
  uint8_t stream_ = 0;
  std::string path_;
  std::string error_;
};

}  // namespace pasban::output
