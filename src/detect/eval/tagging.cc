#include "detect/eval/tagging.h"

#include <algorithm>

namespace pasban::detect::eval {

namespace {
using Metric = keywords::TagSpec::Metric;

flow::TagEntry make_entry(const Rule& r, const keywords::TagSpec& t, int64_t now) {
  flow::TagEntry e;
  e.sid = r.sid;
  e.gid = r.gid;
  e.metric = uint8_t(t.metric);
  e.count = t.count;
  e.first_sec = e.last_sec = now;
  return e;
}

// Adds e to list, or restarts the rule's existing entry (at most
// kMatchLimit times, so one noisy rule cannot keep a tag alive forever).
void add_or_restart(std::vector<flow::TagEntry>& list, const flow::TagEntry& e) {
  for (auto& cur : list) {
    if (cur.sid == e.sid && cur.gid == e.gid) {
      if (++cur.matches < TagTracker::kMatchLimit) {
        cur.first_sec = cur.last_sec = e.first_sec;
        cur.packets = cur.bytes = 0;
      }
      return;
    }
  }
  if (list.size() < TagTracker::kMaxTags) list.push_back(e);
}
}  // namespace

bool update_tags(std::vector<flow::TagEntry>& tags, int64_t now_sec, uint64_t bytes) {
  bool marked = false;
  for (size_t i = 0; i < tags.size();) {
    flow::TagEntry& t = tags[i];
    t.last_sec = now_sec;
    if (Metric(t.metric) == Metric::kPackets) ++t.packets;
    else if (Metric(t.metric) == Metric::kBytes) t.bytes += bytes;
    if (!t.skipped_first) {
      // The packet that raised the alert: counted, logged by the alert.
      t.skipped_first = true;
      ++i;
      continue;
    }
    bool expired = false;
    switch (Metric(t.metric)) {
      case Metric::kPackets: expired = t.packets > t.count; break;
      case Metric::kBytes: expired = t.bytes > t.count; break;
      case Metric::kSeconds: expired = t.last_sec - t.first_sec > int64_t(t.count); break;
    }
    if (expired) {
      tags.erase(tags.begin() + std::ptrdiff_t(i));
      continue;
    }
    marked = true;
    ++i;
  }
  return marked;
}

TagTracker::TagTracker(core::Counters& counters) : counters_(counters) {
  c_hosts_full_ = counters_.id("pasban.tag.hosts_full");
}

void TagTracker::install(const decode::Packet& p, const Rule& r, const keywords::TagSpec& t,
                         HostTags& tags) {
  const flow::TagEntry e = make_entry(r, t, p.ts.sec);
  if (t.type == keywords::TagSpec::Type::kSession) {
    if (p.flow) add_or_restart(p.flow->tags, e);
    return;
  }
  const core::IpAddress& host = t.src_host ? p.src : p.dst;
  auto it = tags.hosts.find(host);
  if (it == tags.hosts.end()) {
    if (tags.hosts.size() >= kMaxHosts) {
      counters_.add(c_hosts_full_);
      return;
    }
    it = tags.hosts.emplace(host, std::vector<flow::TagEntry>{}).first;
  }
  add_or_restart(it->second, e);
}

void TagTracker::expire_hosts(HostTags& tags, int64_t now) {
  tags.last_sweep = now;
  auto& hosts = tags.hosts;
  for (auto it = hosts.begin(); it != hosts.end();) {
    auto& list = it->second;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [now](const flow::TagEntry& t) { return now - t.last_sec > kHostIdleSeconds; }),
               list.end());
    if (list.empty()) hosts.erase(it++);
    else ++it;
  }
}

bool TagTracker::on_packet(const decode::Packet& p, const std::vector<Alert>& alerts) {
  if (!shared_) return update(p, alerts, own_);
  auto access = shared_->enter(turn_);
  return update(p, alerts, access.host_tags());
}

bool TagTracker::update(const decode::Packet& p, const std::vector<Alert>& alerts,
                        HostTags& tags) {
  for (const Alert& a : alerts)
    for (const auto& t : a.rule->tags) install(p, *a.rule, t, tags);
  if (p.ip_version == 0) return false;
  auto& hosts = tags.hosts;
  if (!hosts.empty() && p.ts.sec - tags.last_sweep > kHostIdleSeconds) expire_hosts(tags, p.ts.sec);
  const uint64_t bytes = p.frame.size();
  bool marked = false;
  if (p.flow && !p.flow->tags.empty()) marked |= update_tags(p.flow->tags, p.ts.sec, bytes);
  if (hosts.empty()) return marked;
  for (const core::IpAddress* h : {&p.src, &p.dst}) {
    if (h == &p.dst && p.dst == p.src) break;  // one host, one update
    auto it = hosts.find(*h);
    if (it == hosts.end()) continue;
    marked |= update_tags(it->second, p.ts.sec, bytes);
    if (it->second.empty()) hosts.erase(it);
  }
  return marked;
}

}  // namespace pasban::detect::eval
