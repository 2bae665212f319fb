// Per-protocol settings of one eve-log output: `types: - dns: {...}` and
// `types: - tls: {...}`, read the way Suricata's output-json-dns.c and
// output-json-tls.c read them.
#pragma once
#include <cstdint>
#include <optional>

#include "app/dns/dns_parser.h"
#include "app/http/http_parser.h"
#include "runtime/config.h"

namespace pasban::runtime {

// The dns entry of an eve-log output (an invalid view: defaults).
// version: the key, else the SURICATA_EVE_DNS_VERSION environment
// variable, else 3 (1 and unknown values also give 3); requests,
// responses (default yes); types: [a, mx, ...]; formats: [detailed,
// grouped] (an empty or unknown-only list keeps both).
app::dns::DnsLogOptions dns_log_options(const ConfigView& dns);

// The tls entry's field set: `custom: [...]` when given, else the
// extended set with `extended: yes`, else the basic one; session_resumed
// unless `session-resumption: no`. nullopt for an invalid view.
std::optional<uint32_t> tls_log_fields(const ConfigView& tls);

// The http entry: `extended: yes` (off when absent, as in Suricata; the
// stock configuration turns it on), `custom: [...]` (EVE keys or header
// names) and `dump-all-headers: both|request|response`.
app::http::HttpLogOptions http_log_options(const ConfigView& http);

}  // namespace pasban::runtime
