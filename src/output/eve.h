// EVE JSON records in Suricata's field names and order. Fields follow
// Suricata 8.0's schema (shared/verify/etc/eve-schema.json): renaming one is
// a breaking change for every SIEM and dashboard reading the file.
#pragma once
#include <cstdint>
#include <string>

#include "core/counters.h"
#include "decode/packet.h"
#include "detect/eval/detector.h"
#include "flow/flow_table.h"
#include "output/log_file.h"

namespace pasban::output {

struct EveOptions {
  bool enabled = true;
  std::string filename = "eve.json";
  bool community_id = false;
  uint16_t community_id_seed = 0;
  // alert options
  bool payload = false;
  bool payload_printable = false;
  bool payload_length = false;
  bool packet = false;
  bool metadata = true;
  bool rule = false;  // alert.rule: the rule text is not kept yet
  bool stats = true;  // write a stats record at the end
  bool flow = true;   // a flow record when each flow ends
  bool app_records[size_t(app::AppProto::kCount)] = {};  // eve-log types http, dns, tls, smtp
  bool files = true;  // eve-log type files: fileinfo records
  bool stats_totals = true;
  bool stats_threads = false;
  bool stats_deltas = false;
};

class EveWriter {
 public:
  explicit EveWriter(EveOptions options) : options_(std::move(options)) {}
  bool open(const std::string& dir);
  void alert(const decode::Packet& p, const detect::eval::Alert& a);
  void stats(const core::Counters& counters, core::Timestamp now, int64_t uptime_s);
  // The EVE flow record of a flow that ended. app_proto is its name or "".
  void flow(const flow::Flow& f, flow::EndReason reason, std::string_view app_proto);
  // A protocol record (event_type http, dns, tls, ...) for a transaction.
  void transaction(const flow::Flow& f, app::AppProto proto, const app::Transaction& tx,
                   core::Timestamp ts);
  // One fileinfo record per file the transaction carried.
  void files(const flow::Flow& f, app::AppProto proto, const app::Transaction& tx,
             core::Timestamp ts);
  bool flush() { return file_.flush(); }
  void close() { file_.close(); }
  bool ok() const { return file_.ok(); }
  const std::string& error() const { return file_.error(); }
  const EveOptions& options() const { return options_; }

 private:
  EveOptions options_;
  LogFile file_;
  std::string line_;
};

std::string proto_name(uint8_t proto);

}  // namespace pasban::output
