// The file settings of the configuration: eve-log `types: - files:`
// (force-magic, force-hash) and the `file-store` output (version 2),
// with Suricata's stock defaults. They decide what every file computes
// (app::files::file_settings()) before traffic starts; rules add their
// own needs when they load (filemd5, filemagic, ...).
#pragma once
#include <vector>

#include "output/file_log.h"
#include "runtime/config.h"

namespace pasban::runtime {

// Reads the file-store output and the eve-log files types, fills store
// and sets the process-wide file settings accordingly.
core::Status configure_files(const Config& config, const std::vector<ConfigView>& eve_outputs,
                             output::FileStoreOptions& store);

}  // namespace pasban::runtime
