// The defrag section and host-os-policy, read the way Suricata's
// defrag-config.c and util-host-os-info.c read them.
#pragma once
#include "core/result.h"
#include "defrag/defrag.h"
#include "runtime/config.h"

namespace pasban::runtime {

// defrag.memcap (32 MiB), defrag.max-frags (65535; 0 means the default),
// defrag.timeout (60 s, 1 s .. 24 h), defrag.host-config (per-address
// timeouts) and host-os-policy (overlap policy per destination address).
// defrag.trackers and defrag.hash-size size Suricata's preallocation and
// hash; the memcap is what bounds the trackers here.
core::Result<defrag::DefragConfig> defrag_config(const Config& config);

}  // namespace pasban::runtime
