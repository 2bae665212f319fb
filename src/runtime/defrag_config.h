// The defrag and stream sections and host-os-policy, read the way
// Suricata's defrag-config.c, stream-tcp.c and util-host-os-info.c read them.
#pragma once
#include "core/result.h"
#include "defrag/defrag.h"
#include "runtime/config.h"
#include "stream/tcp_reassembly.h"

namespace pasban::runtime {

// defrag.memcap (32 MiB), defrag.max-frags (65535; 0 means the default),
// defrag.timeout (60 s, 1 s .. 24 h), defrag.host-config (per-address
// timeouts) and host-os-policy (overlap policy per destination address).
// defrag.trackers and defrag.hash-size size Suricata's preallocation and
// hash; the memcap is what bounds the trackers here.
core::Result<defrag::DefragConfig> defrag_config(const Config& config);

// The stream engine's settings besides depth and reassembly memcap:
// stream.memcap (session state, default 64 MiB), host-os-policy (each listed
// address's overlap policy; bsd-right reassembles as bsd and old-solaris as
// solaris, as Suricata's stream engine maps them; like Suricata, an unknown
// name or a bad address only loses that entry) and
// stream.reassembly.urgent.policy (oob or inline; an unknown value is an
// error naming it; drop and gap are not implemented and act as inline).
core::Status load_stream_config(const Config& config, stream::StreamConfig& sc);

}  // namespace pasban::runtime
