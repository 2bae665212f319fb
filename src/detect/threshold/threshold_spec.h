// What a threshold, detection_filter, rate_filter or suppress asks for: the
// values parsed from the `threshold:` / `detection_filter:` rule keywords
// and from threshold.config. Pure data; the counting is in threshold_state.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.h"
#include "core/result.h"

namespace pasban::detect::threshold {

struct ThresholdSpec {
  enum Type : uint8_t {
    kLimit,            // alert on the first `count` matches per window
    kThreshold,        // alert on every `count`th match in the window
    kBoth,             // alert once per window, at the `count`th match
    kBackoff,          // alert at count, count*m, count*m*m, ... (no window)
    kDetectionFilter,  // alert on every match after `count` in the window
    kRateFilter,       // always alert; past `count` switch to new_action
  };
  enum Track : uint8_t { kBySrc, kByDst, kByRule, kByBoth, kByFlow };
  // rate_filter's new_action. Suricata also takes "log" and "sdrop" (older
  // names): they map to alert and drop.
  enum Action : uint8_t { kNoAction, kAlert, kDrop, kPass, kReject };

  Type type = kLimit;
  Track track = kBySrc;
  uint32_t count = 0;
  uint32_t seconds = 0;
  uint32_t multiplier = 0;  // backoff only
  Action new_action = kNoAction;  // rate_filter only
  uint32_t timeout = 0;           // rate_filter only: seconds new_action lasts

  friend bool operator==(const ThresholdSpec&, const ThresholdSpec&) = default;
};

// `threshold: type limit, track by_src, count 1, seconds 60` (parts in any
// order); Suricata 8's `type backoff, track by_flow, count 1, multiplier 10`.
core::Result<ThresholdSpec> parse_threshold_keyword(std::string_view value);
// `detection_filter: track by_src, count 5, seconds 60`.
core::Result<ThresholdSpec> parse_detection_filter(std::string_view value);

// ---- suppress ------------------------------------------------------------

// An address with a prefix length (a single address has the full length).
struct IpPrefix {
  core::IpAddress addr;
  uint8_t bits = 0;
  bool contains(const core::IpAddress& ip) const noexcept;
  friend bool operator==(const IpPrefix&, const IpPrefix&) = default;
};

// An address list: an address matches when it is in an included prefix (or
// there are none, as with "!x" alone) and in no excluded one.
struct IpSet {
  std::vector<IpPrefix> include;
  std::vector<IpPrefix> exclude;
  bool contains(const core::IpAddress& ip) const noexcept;
  friend bool operator==(const IpSet&, const IpSet&) = default;
};

// Names an address variable's value ("$HOME_NET" -> "[10.0.0.0/8,...]").
using AddressVarResolver = std::function<std::optional<std::string>(std::string_view name)>;

// Parses "1.2.3.4", "10.0.0.0/8", "[a,b,!c]", "any", "$VAR" (nested lists and
// variables too).
core::Result<IpSet> parse_ip_set(std::string_view text, const AddressVarResolver& vars = {});

struct SuppressSpec {
  enum Track : uint8_t { kAll, kBySrc, kByDst, kByEither };
  Track track = kAll;
  IpSet ips;

  // True when this suppress hides the alert. Suppressed matches still apply
  // the rule's actions (Suricata's "silent match").
  bool suppresses(const core::IpAddress& src, const core::IpAddress& dst) const noexcept;
  friend bool operator==(const SuppressSpec&, const SuppressSpec&) = default;
};

}  // namespace pasban::detect::threshold
