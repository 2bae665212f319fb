#include "app/sip/sip_sdp.h"

#include <charconv>

namespace pasban::app::sip {
namespace {

// One "<type>=<value>" line (RFC 8866 5): false when malformed.
bool split_line(std::string_view line, char& type, std::string_view& value) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') return false;
  type = line[0];
  value = line.substr(2);
  return true;
}

void push(std::vector<std::string>& list, std::string_view v) {
  if (list.size() < kMaxSdpItems) list.emplace_back(v);
}

// Session-level lines after v=, o=, s= (RFC 8866 5 order, not enforced).
bool session_line(Sdp& s, char type, std::string_view v) {
  switch (type) {
    case 'i': s.session_info = std::string(v); return true;
    case 'u': s.uri = std::string(v); return true;
    case 'e': s.email = std::string(v); return true;
    case 'p': s.phone_number = std::string(v); return true;
    case 'c': s.connection_data = std::string(v); return true;
    case 'b': push(s.bandwidths, v); return true;
    case 't':
      if (s.times.size() < kMaxSdpItems) s.times.push_back(SdpTime{std::string(v), std::nullopt});
      return true;
    case 'r':
      if (s.times.empty()) return false;
      s.times.back().repeat_time = std::string(v);
      return true;
    case 'z': s.timezone = std::string(v); return true;
    case 'k': s.encryption_key = std::string(v); return true;
    case 'a': push(s.attributes, v); return true;
    default: return false;
  }
}

bool media_line(SdpMedia& m, char type, std::string_view v) {
  switch (type) {
    case 'i': m.media_info = std::string(v); return true;
    case 'c': m.connection_data = std::string(v); return true;
    case 'b': push(m.bandwidths, v); return true;
    case 'k': m.encryption_key = std::string(v); return true;
    case 'a': push(m.attributes, v); return true;
    default: return false;
  }
}

void str(JsonWriter& w, const char* key, std::string_view v) {
  w.Key(key);
  w.String(v.data(), rapidjson::SizeType(v.size()));
}

void opt(JsonWriter& w, const char* key, const std::optional<std::string>& v) {
  if (v) str(w, key, *v);
}

void list(JsonWriter& w, const char* key, const std::vector<std::string>& v) {
  if (v.empty()) return;
  w.Key(key);
  w.StartArray();
  for (const auto& s : v) w.String(s.data(), rapidjson::SizeType(s.size()));
  w.EndArray();
}

}  // namespace

std::optional<Sdp> parse_sdp(std::string_view body) {
  Sdp s;
  size_t pos = 0, n = 0;
  bool in_media = false;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    const std::string_view line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line == "\r") continue;
    char type = 0;
    std::string_view v;
    if (!split_line(line, type, v)) return std::nullopt;
    // v=, o=, s= open the description in this order (RFC 8866 5).
    if (n < 3) {
      if (type != "vos"[n]) return std::nullopt;
      if (type == 'v') {
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), s.version);
        if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
      } else if (type == 'o') {
        s.origin = v;
      } else {
        s.session_name = v;
      }
      ++n;
      continue;
    }
    if (type == 'm') {
      in_media = true;
      if (s.media.size() >= kMaxSdpItems) continue;
      s.media.push_back(SdpMedia{});
      s.media.back().media = v;
      continue;
    }
    const bool ok = in_media ? (s.media.size() >= kMaxSdpItems || media_line(s.media.back(), type, v))
                             : session_line(s, type, v);
    if (!ok) return std::nullopt;
  }
  if (n < 3) return std::nullopt;
  return s;
}

void log_sdp(JsonWriter& w, const Sdp& s) {
  w.Key("sdp");
  w.StartObject();
  w.Key("version");
  w.Uint(s.version);
  str(w, "origin", s.origin);
  str(w, "session_name", s.session_name);
  opt(w, "session_info", s.session_info);
  opt(w, "uri", s.uri);
  opt(w, "email", s.email);
  opt(w, "phone_number", s.phone_number);
  opt(w, "connection_data", s.connection_data);
  list(w, "bandwidths", s.bandwidths);
  if (!s.times.empty()) {
    w.Key("time_descriptions");
    w.StartArray();
    for (const SdpTime& t : s.times) {
      w.StartObject();
      str(w, "time", t.time);
      opt(w, "repeat_time", t.repeat_time);
      w.EndObject();
    }
    w.EndArray();
  }
  opt(w, "timezone", s.timezone);
  opt(w, "encryption_key", s.encryption_key);
  list(w, "attributes", s.attributes);
  if (!s.media.empty()) {
    w.Key("media_descriptions");
    w.StartArray();
    for (const SdpMedia& m : s.media) {
      w.StartObject();
      str(w, "media", m.media);
      opt(w, "media_info", m.media_info);
      list(w, "bandwidths", m.bandwidths);
      opt(w, "connection_data", m.connection_data);
      opt(w, "encryption_key", m.encryption_key);
      list(w, "attributes", m.attributes);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace pasban::app::sip
