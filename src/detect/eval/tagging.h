// Tagged packets (the `tag` keyword): after an alert whose rule has tags,
// later packets of the session or of the tagged host are marked for
// logging (EVE "packet" records) until the tag's packet, byte or second
// limit is passed. Suricata's detect-engine-tag semantics: the alerting
// packet counts but is not marked; a rule re-alerting resets its tag (at
// most kMatchLimit times); a flow or host holds at most kMaxTags tags.
#pragma once
#include <absl/container/flat_hash_map.h>

#include <vector>

#include "core/counters.h"
#include "core/ip_address.h"
#include "decode/packet.h"
#include "detect/eval/detector.h"
#include "flow/flow.h"

namespace pasban::detect::eval {

class TagTracker {
 public:
  static constexpr uint32_t kMatchLimit = 10;
  static constexpr size_t kMaxTags = 50;
  static constexpr int64_t kHostIdleSeconds = 600;  // an untouched host tag expires
  static constexpr size_t kMaxHosts = 65536;        // bound on tagged hosts

  explicit TagTracker(core::Counters& counters);
  // A worker of a pool keeps host tags in the pool's shared state when the
  // rules tag hosts; every packet then waits for its turn to look them up.
  void share(SharedDetectState* shared, TurnWait* turn, bool host_tag_rules) {
    shared_ = host_tag_rules ? shared : nullptr;
    turn_ = turn;
  }
  // Installs the tags of p's alerts, then updates the tags p belongs to.
  // True when p is a tagged packet to log.
  bool on_packet(const decode::Packet& p, const std::vector<Alert>& alerts);
  size_t tagged_hosts() const { return own_.hosts.size(); }

 private:
  bool update(const decode::Packet& p, const std::vector<Alert>& alerts, HostTags& hosts);
  void install(const decode::Packet& p, const Rule& r, const keywords::TagSpec& t, HostTags& hosts);
  static void expire_hosts(HostTags& hosts, int64_t now);

  HostTags own_;
  SharedDetectState* shared_ = nullptr;
  TurnWait* turn_ = nullptr;
  core::Counters& counters_;
  core::Counters::Id c_hosts_full_;
};

// Updates a tag list for packet p (of frame size bytes at time now_sec);
// expired entries are removed. True when one of them marks the packet.
bool update_tags(std::vector<flow::TagEntry>& tags, int64_t now_sec, uint64_t bytes);

}  // namespace pasban::detect::eval
