// Packet time: seconds and microseconds since the epoch.
#pragma once
#include <cstdint>
#include <string>

namespace pasban::core {

struct Timestamp {
  int64_t sec = 0;
  int32_t usec = 0;

  int64_t as_usec() const { return sec * 1000000 + usec; }
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// Suricata's EVE timestamp: "2016-03-08T16:43:33.110346+0000" in the
// process's local zone (TZ), with the zone offset as +HHMM.
std::string format_eve_timestamp(Timestamp ts);
// fast.log: "03/08/2016-16:43:33.110346".
std::string format_fast_timestamp(Timestamp ts);

}  // namespace pasban::core
