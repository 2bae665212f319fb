#include "output/file_log.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/app_layer.h"
#include "output/eve.h"

namespace pasban::output {

FileLog::FileLog(FileStoreOptions store, std::string log_dir, core::Counters& counters)
    : store_(std::move(store)), counters_(counters) {
  std::filesystem::path root = store_.dir;
  if (root.is_relative()) root = std::filesystem::path(log_dir) / root;
  store_root_ = root.string();
  c_stored_ = counters_.id("pasban.filestore.stored");
  c_store_failed_ = counters_.id("pasban.filestore.failed");
}

void FileLog::run(flow::Flow& f, core::Timestamp ts, bool flow_end) {
  app::AppFlowState* st = app::AppLayer::state_of(&f);
  if (!st || !st->parser) return;
  st->sync_tx_indices();
  app::Parser& parser = *st->parser;
  const size_t n = parser.tx_count();
  bool prefix = true;
  for (size_t i = st->files_done_up_to; i < n; ++i) {
    app::Transaction* tx = parser.tx(i);
    bool pending = false;
    if (tx) {
      for (auto& file : tx->file_list) {
        if (file->logged) continue;
        if (file->open()) {
          if (!flow_end) {
            pending = true;
            continue;
          }
          file->truncate();
        }
        finish_file(f, st->proto, *tx, *file, ts);
      }
    }
    // A transaction can still open files until both sides are done.
    const bool settled = !tx || flow_end || (tx->complete(true) && tx->complete(false));
    if (prefix && settled && !pending) st->files_done_up_to = i + 1;
    else prefix = false;
  }
}

void FileLog::finish_file(const flow::Flow& f, app::AppProto proto, app::Transaction& tx,
                          app::files::File& file, core::Timestamp ts) {
  file.logged = true;
  if (store_.enabled && !file.stored && (file.store_requested || store_.force_filestore))
    file.stored = store(f, proto, tx, file, ts);
  if (tx.log_disabled) return;
  for (EveWriter* eve : eves_) eve->fileinfo(f, proto, tx, file, ts);
}

bool FileLog::store(const flow::Flow& f, app::AppProto proto, app::Transaction& tx,
                    app::files::File& file, core::Timestamp ts) {
  const std::string& sha = file.sha256();
  if (sha.size() < 2 || !file.content_complete()) {
    counters_.add(c_store_failed_);
    return false;
  }
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(store_root_) / sha.substr(0, 2);
  std::error_code ec;
  fs::create_directories(dir, ec);
  const fs::path path = dir / sha;
  // The same content seen twice is one stored file.
  if (!fs::exists(path, ec)) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(file.content().data(), std::streamsize(file.content().size()));
    if (!out) {
      counters_.add(c_store_failed_);
      return false;
    }
  }
  counters_.add(c_stored_);
  if (store_.write_fileinfo && !eves_.empty()) {
    file.stored = true;  // the record written beside it says so
    const fs::path meta = dir / (sha + "." + std::to_string(ts.sec) + "." +
                                 std::to_string(file.file_id()) + ".json");
    std::ofstream out(meta, std::ios::trunc);
    out << eves_.front()->fileinfo_record(f, proto, tx, file, ts) << '\n';
  }
  return true;
}

}  // namespace pasban::output
