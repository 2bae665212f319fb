// tag: keep logging packets after an alert (Snort's tag, as Suricata has it).
//   tag:session[,<count>,<metric>]
//   tag:host[,<count>,<metric>[,src|dst]]
// metric: packets | seconds | bytes. Without a count Suricata tags 256
// packets; a host tag without a direction tags the destination host. The
// packet that raised the alert counts towards the limit but is not logged
// again (the alert has it).
#pragma once
#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace pasban::detect::keywords {

struct TagSpec {
  enum class Type : uint8_t { kSession, kHost };
  enum class Metric : uint8_t { kPackets, kSeconds, kBytes };
  static constexpr uint32_t kDefaultPackets = 256;

  Type type = Type::kSession;
  Metric metric = Metric::kPackets;
  uint32_t count = kDefaultPackets;
  bool src_host = false;  // host tags: the alert's source (else its destination)

  static core::Result<TagSpec> parse(std::string_view value);
  friend bool operator==(const TagSpec&, const TagSpec&) = default;
};

}  // namespace pasban::detect::keywords
