// fast.log: one line per alert, Suricata's layout.
#pragma once
#include <string>

#include "decode/packet.h"
#include "detect/eval/detector.h"
#include "output/log_file.h"

namespace pasban::output {

class FastLog {
 public:
  bool open(const std::string& dir, const std::string& filename = "fast.log");
  void alert(const decode::Packet& p, const detect::eval::Alert& a);
  bool flush() { return file_.flush(); }
  void close() { file_.close(); }
  bool reopen() { return file_.reopen(); }  // log rotation
  bool ok() const { return file_.ok(); }
  // A worker's writer sends its lines to sink instead of a file.
  void attach(LineSink* sink, uint8_t stream) { file_.redirect(sink, stream); }
  LogFile& file() { return file_; }
  const std::string& error() const { return file_.error(); }

 private:
  LogFile file_;
};

}  // namespace pasban::output
