// What happens to a file once it ended: the file-store (version 2) writes
// it under <log dir>/<dir>/<first two hex digits of sha256>/<sha256>, and
// every EVE output with `files` enabled writes its fileinfo record. Both
// run after detection saw the file (filestore rules decide what is kept),
// once per file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/app_proto.h"
#include "app/files/file.h"
#include "app/parser.h"
#include "core/counters.h"
#include "core/timestamp.h"
#include "flow/flow.h"

namespace pasban::output {

class EveWriter;

// outputs.file-store (Suricata's stock defaults: off, dir "filestore").
struct FileStoreOptions {
  bool enabled = false;
  std::string dir = "filestore";  // relative to the log directory
  bool write_fileinfo = false;     // <sha256>.<seconds>.<file_id>.json beside it
  bool force_filestore = false;    // store every file, not only filestore matches
};

class FileLog {
 public:
  FileLog(FileStoreOptions store, std::string log_dir, core::Counters& counters);
  void add_eve(EveWriter* eve) { eves_.push_back(eve); }
  // After detection on a packet of f; at the flow's end (flow_end) files
  // still open are truncated and everything left is written.
  void run(flow::Flow& f, core::Timestamp ts, bool flow_end);

 private:
  void finish_file(const flow::Flow& f, app::AppProto proto, app::Transaction& tx,
                   app::files::File& file, core::Timestamp ts);
  // Writes the file's content to the store; false (and counted) when it
  // cannot (no sha256: gaps; content beyond what was kept; I/O error).
  bool store(const flow::Flow& f, app::AppProto proto, app::Transaction& tx,
             app::files::File& file, core::Timestamp ts);

  FileStoreOptions store_;
  std::string store_root_;
  std::vector<EveWriter*> eves_;
  core::Counters& counters_;
  core::Counters::Id c_stored_, c_store_failed_;
};

}  // namespace pasban::output
