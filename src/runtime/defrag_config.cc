#include "runtime/defrag_config.h"

#include <algorithm>
#include <string>
#include <vector>

namespace pasban::runtime {

namespace {

constexpr int64_t kTimeoutMin = 1;
constexpr int64_t kTimeoutMax = 60 * 60 * 24;

// An address list: a YAML sequence, or a scalar such as "[10.0.0.0/8,
// 1.2.3.4]" or "10.0.0.0/8, 1.2.3.4".
std::vector<std::string> address_list(const YAML::Node& n) {
  std::vector<std::string> out;
  auto add_text = [&out](std::string text) {
    for (char& c : text)
      if (c == '[' || c == ']') c = ' ';
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      std::string item = text.substr(start, comma - start);
      const size_t b = item.find_first_not_of(" \t\"'");
      const size_t e = item.find_last_not_of(" \t\"'");
      if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
      start = comma + 1;
    }
  };
  if (n.IsSequence()) {
    for (const auto& item : n)
      if (item.IsScalar()) add_text(item.as<std::string>());
  } else if (n.IsScalar()) {
    add_text(n.as<std::string>());
  }
  return out;
}

core::Status load_host_os_policy(const Config& config, defrag::DefragConfig& dc) {
  YAML::Node section = config.get_node("host-os-policy");
  if (!section || !section.IsMap()) return core::Status::Ok();
  for (const auto& entry : section) {
    const std::string os = entry.first.as<std::string>();
    // Like Suricata, an unknown name or a bad address only loses that entry.
    auto policy = defrag::policy_from_os_name(os);
    if (!policy) continue;
    for (const auto& addr : address_list(entry.second)) (void)dc.policies.add(addr, *policy);
  }
  return core::Status::Ok();
}

}  // namespace

core::Status load_stream_config(const Config& config, stream::StreamConfig& sc) {
  auto session_memcap = config.get_size("stream.memcap", sc.session_memcap);
  if (!session_memcap) return session_memcap.error();
  sc.session_memcap = *session_memcap;
  YAML::Node section = config.get_node("host-os-policy");
  if (section && section.IsMap()) {
    for (const auto& entry : section) {
      auto policy = stream::parse_overlap_policy(entry.first.as<std::string>());
      if (!policy) continue;
      for (const auto& addr : address_list(entry.second)) (void)sc.host_policies.add(addr, *policy);
    }
  }
  const std::string urgent = config.get_string("stream.reassembly.urgent.policy").value_or("oob");
  if (urgent == "oob") {
    sc.urgent = stream::UrgentPolicy::kOob;
  } else if (urgent == "inline" || urgent == "drop" || urgent == "gap") {
    sc.urgent = stream::UrgentPolicy::kInline;
  } else {
    return core::make_error("stream.reassembly.urgent.policy: unknown value '" + urgent +
                            "' (expected drop, inline, oob or gap)");
  }
  return core::Status::Ok();
}

namespace {

core::Status load_host_config(const Config& config, defrag::DefragConfig& dc) {
  YAML::Node hosts = config.get_node("defrag.host-config");
  if (!hosts || !hosts.IsSequence()) return core::Status::Ok();
  for (const auto& item : hosts) {
    if (!item.IsMap()) continue;
    for (const auto& named : item) {
      const std::string name = named.first.as<std::string>();
      ConfigView host(named.second, "defrag.host-config." + name);
      auto timeout = host.get_int_checked("timeout", dc.timeout_s);
      if (!timeout) return timeout.error();
      if (*timeout < kTimeoutMin || *timeout > kTimeoutMax)
        return core::make_error("defrag.host-config." + name + ".timeout: out of range");
      for (const auto& addr : address_list(host.get_node("address")))
        (void)dc.host_timeouts.add(addr, uint32_t(*timeout));
    }
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<defrag::DefragConfig> defrag_config(const Config& config) {
  defrag::DefragConfig dc;
  auto memcap = config.get_size("defrag.memcap", dc.memcap);
  if (!memcap) return memcap.error();
  dc.memcap = *memcap;
  auto max_frags = config.get_int_checked("defrag.max-frags", dc.max_frags);
  if (!max_frags) return max_frags.error();
  if (*max_frags < 0) return core::make_error("defrag.max-frags: must not be negative");
  if (*max_frags > 0) dc.max_frags = uint32_t(std::min<int64_t>(*max_frags, UINT32_MAX));
  auto timeout = config.get_int_checked("defrag.timeout", dc.timeout_s);
  if (!timeout) return timeout.error();
  if (*timeout < kTimeoutMin || *timeout > kTimeoutMax)
    return core::make_error("defrag.timeout: must be between 1 and 86400 seconds");
  dc.timeout_s = uint32_t(*timeout);
  if (auto st = load_host_config(config, dc); !st) return st.error();
  if (auto st = load_host_os_policy(config, dc); !st) return st.error();
  return dc;
}

}  // namespace pasban::runtime
