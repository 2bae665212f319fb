#include "runtime/eve_config.h"

#include <cstdlib>
#include <string>

#include "app/tls/tls_parser.h"

namespace pasban::runtime {
namespace {

// The scalar items of a sequence (`[a, mx]` or a block list).
std::vector<std::string> string_list(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n || !n.IsSequence()) return out;
  for (const auto& item : n)
    if (item.IsScalar()) out.push_back(item.Scalar());
  return out;
}

int dns_version(const ConfigView& dns) {
  std::optional<std::string> v = dns.valid() ? dns.get_string("version") : std::nullopt;
  if (!v) {
    // Suricata reads this variable when the key is absent.
    if (const char* env = std::getenv("SURICATA_EVE_DNS_VERSION")) v = env;
  }
  if (v && (*v == "2" || *v == "02")) return 2;
  return 3;  // 3, and 1 / unknown values, which Suricata maps to its default
}

}  // namespace

app::dns::DnsLogOptions dns_log_options(const ConfigView& dns) {
  app::dns::DnsLogOptions o;
  o.version = dns_version(dns);
  if (!dns.node().IsMap()) return o;
  o.requests = dns.get_bool("requests", true);
  o.responses = dns.get_bool("responses", true);
  if (dns.has("types")) {
    // A `types` list logs only what it names; unknown names are skipped.
    o.type_filter = true;
    for (const std::string& name : string_list(dns.get_node("types")))
      if (auto t = app::dns::rrtype_by_name(name)) o.types.push_back(*t);
  }
  if (dns.has("formats")) {
    bool detailed = false, grouped = false;
    for (const std::string& f : string_list(dns.get_node("formats"))) {
      if (f == "detailed") detailed = true;
      else if (f == "grouped") grouped = true;
    }
    // An empty (or unrecognised) list keeps the defaults, as Suricata.
    if (detailed || grouped) o.format = app::dns::LogFormat{detailed, grouped};
  }
  return o;
}

std::optional<uint32_t> tls_log_fields(const ConfigView& tls) {
  namespace t = app::tls;
  if (!tls.valid() && !tls.node().IsMap()) return std::nullopt;
  if (!tls.node().IsMap()) return t::kLogBasicFields | t::kLogSessionResumed;
  if (tls.has("custom")) {
    uint32_t fields = 0;
    for (const std::string& name : string_list(tls.get_node("custom")))
      if (auto f = t::tls_log_field_by_name(name)) fields |= *f;
    return fields;
  }
  uint32_t fields = tls.get_bool("extended", false) ? t::kLogExtendedFields : t::kLogBasicFields;
  return fields | t::kLogSessionResumed;
}

app::http::HttpLogOptions http_log_options(const ConfigView& http) {
  app::http::HttpLogOptions o;
  o.extended = false;
  if (!http.node().IsMap()) return o;
  o.extended = http.get_bool("extended", false);
  for (const std::string& name : string_list(http.get_node("custom")))
    if (const auto* f = app::http::http_custom_field(name)) o.custom.push_back(f);
  const std::string dump = http.get_string("dump-all-headers").value_or("");
  // Suricata compares prefixes only ("both", "request", "response").
  if (dump.rfind("both", 0) == 0) o.dump_request_headers = o.dump_response_headers = true;
  else if (dump.rfind("request", 0) == 0) o.dump_request_headers = true;
  else if (dump.rfind("response", 0) == 0) o.dump_response_headers = true;
  return o;
}

}  // namespace pasban::runtime
