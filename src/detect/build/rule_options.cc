#include "detect/build/rule_options.h"

#include <algorithm>
#include <charconv>

#include "detect/keywords/config_keyword.h"
#include "app/files/file.h"
#include "detect/keywords/file_keywords.h"
#include "detect/keywords/numeric.h"
#include "detect/rules/content_string.h"
#include "detect/threshold/threshold_spec.h"

namespace pasban::detect::build {
namespace {

using keywords::trim;

core::Error err(std::string_view kw, const std::string& msg) {
  return core::make_error(std::string(kw) + ": " + msg);
}

// Keywords that are accepted and have no effect on matching here.
constexpr std::string_view kNoEffect[] = {"prefilter", "rawbytes"};

// "8.0.7" -> comparable integer.
uint64_t version_number(std::string_view v) {
  uint64_t parts[3] = {0, 0, 0};
  int i = 0;
  while (!v.empty() && i < 3) {
    auto dot = v.find('.');
    std::string_view p = v.substr(0, dot);
    std::from_chars(p.data(), p.data() + p.size(), parts[i++]);
    v = dot == std::string_view::npos ? std::string_view{} : v.substr(dot + 1);
  }
  return parts[0] * 1000000 + parts[1] * 1000 + parts[2];
}

constexpr std::string_view kEngineVersion = "8.0.7";

}  // namespace

BufferList& OptionState::current_list() {
  if (current_buffer_ < 0) {
    for (size_t i = 0; i < r_.buffers.size(); ++i)
      if (!r_.buffers[i].is_app && r_.buffers[i].id == BufferId::kPayload && r_.buffers[i].plain()) {
        current_buffer_ = int(i);
        return r_.buffers[i];
      }
    r_.buffers.push_back(BufferList{BufferId::kPayload, {}});
    current_buffer_ = int(r_.buffers.size() - 1);
  }
  if (!pending_transforms_.empty()) {
    // The first inspecting keyword after transforms consumes them: the
    // sticky buffer with those transforms is a list of its own, and what
    // the untransformed list already holds stays there (Suricata).
    BufferList& base = r_.buffers[size_t(current_buffer_)];
    if (base.items.empty()) {
      base.transforms = std::move(pending_transforms_);
    } else {
      BufferList list;
      list.id = base.id;
      list.is_app = base.is_app;
      list.app_buffer = base.app_buffer;
      list.transforms = std::move(pending_transforms_);
      r_.buffers.push_back(std::move(list));
      current_buffer_ = int(r_.buffers.size() - 1);
    }
    pending_transforms_.clear();
    list_set_ = false;
  }
  return r_.buffers[size_t(current_buffer_)];
}

BufferList& OptionState::list_for(bool relative) {
  // Outside any sticky buffer, Suricata puts a relative keyword in the
  // list of the content it is relative to: after uricontent:"a" (or
  // content:"a"; http_uri;), isdataat:1,relative inspects the URI.
  const bool sticky = current_buffer_ >= 0 &&
                      (r_.buffers[size_t(current_buffer_)].is_app ||
                       r_.buffers[size_t(current_buffer_)].id != BufferId::kPayload);
  if (relative && !sticky && pending_transforms_.empty() && last_content_buffer_ >= 0)
    return r_.buffers[size_t(last_content_buffer_)];
  return current_list();
}

keywords::Content* OptionState::last_content(std::string_view modifier, core::Status& status) {
  if (last_content_buffer_ < 0) {
    status = err(modifier, "needs a preceding content");
    return nullptr;
  }
  return &std::get<keywords::Content>(
      r_.buffers[size_t(last_content_buffer_)].items[size_t(last_content_item_)]);
}

std::optional<int> OptionState::resolve_var(std::string_view name) const {
  for (size_t i = 0; i < var_names_.size(); ++i)
    if (var_names_[i] == name) return int(i);
  return std::nullopt;
}

core::Result<int> OptionState::define_var(std::string_view name) {
  if (auto s = resolve_var(name)) return *s;
  if (var_names_.size() >= keywords::kMaxByteVars)
    return core::make_error("too many byte variables (max " +
                            std::to_string(keywords::kMaxByteVars) + ")");
  var_names_.emplace_back(name);
  r_.n_vars = uint8_t(var_names_.size());
  return int(var_names_.size() - 1);
}

core::Result<int> OptionState::position_value(std::string_view kw, std::string_view v,
                                              int64_t min, int64_t max, int8_t& var_slot) {
  v = trim(v);
  if (!v.empty() && (std::isalpha(static_cast<unsigned char>(v[0])) || v[0] == '_')) {
    auto slot = resolve_var(v);
    if (!slot) return err(kw, "unknown variable '" + std::string(v) + "'");
    var_slot = int8_t(*slot);
    return 0;
  }
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size())
    return err(kw, "invalid value '" + std::string(v) + "'");
  if (n < min || n > max) return err(kw, "value " + std::string(v) + " out of range");
  return int(n);
}

namespace {

// The protocol an app buffer belongs to (file.data serves several).
app::AppProto buffer_proto(app::AppBuffer b) {
  std::string_view n = app::app_buffer_name(b);
  if (n.starts_with("http.")) return app::AppProto::kHttp;
  if (n.starts_with("dns.")) return app::AppProto::kDns;
  if (n.starts_with("tls.") || n.starts_with("ja3") || n.starts_with("ja4")) return app::AppProto::kTls;
  if (n.starts_with("smtp.")) return app::AppProto::kSmtp;
  if (n.starts_with("email.")) return app::AppProto::kSmtp;
  if (n.starts_with("mqtt.")) return app::AppProto::kMqtt;
  if (n.starts_with("sip.")) return app::AppProto::kSip;
  return app::AppProto::kUnknown;
}

// Sticky-buffer spellings other than the buffer name itself.
std::optional<app::AppBuffer> app_buffer_alias(std::string_view kw) {
  using B = app::AppBuffer;
  static const std::pair<std::string_view, B> kAliases[] = {
      {"file_data", B::kFileData},          {"file.data", B::kFileData},
      {"file_name", B::kFileName},          {"file_magic", B::kFileMagic},
      {"dns_query", B::kDnsQuery},          {"tls_sni", B::kTlsSni},
      {"tls_cert_subject", B::kTlsCertSubject}, {"tls_cert_issuer", B::kTlsCertIssuer},
      {"tls_cert_serial", B::kTlsCertSerial}, {"tls_cert_fingerprint", B::kTlsCertFingerprint},
      {"ja3_hash", B::kJa3Hash},            {"ja3_string", B::kJa3String},
      {"ja3s_hash", B::kJa3sHash},          {"ja3s_string", B::kJa3sString},
      {"http_request_line", B::kHttpRequestLine}, {"http_response_line", B::kHttpResponseLine},
      // Underscore spellings of the sticky buffers added in Suricata 5
      // (sticky, unlike the older http_* content modifiers).
      {"http_header_names", B::kHttpHeaderNames}, {"http_accept", B::kHttpAccept},
      {"http_accept_enc", B::kHttpAcceptEnc},     {"http_accept_lang", B::kHttpAcceptLang},
      {"http_referer", B::kHttpReferer},          {"http_connection", B::kHttpConnection},
      {"http_content_type", B::kHttpContentType}, {"http_content_len", B::kHttpContentLen},
      {"http_start", B::kHttpStart},              {"http_protocol", B::kHttpProtocol},
      {"http_server", B::kHttpServer},            {"http_location", B::kHttpLocation},
  };
  for (const auto& [name, b] : kAliases)
    if (kw == name) return b;
  return app::app_buffer_by_keyword(kw);
}

// Legacy content modifiers and the buffer each moves its content to.
std::optional<app::AppBuffer> legacy_modifier(std::string_view kw) {
  using B = app::AppBuffer;
  static const std::pair<std::string_view, B> kModifiers[] = {
      {"http_uri", B::kHttpUri},                 {"http_raw_uri", B::kHttpUriRaw},
      {"http_method", B::kHttpMethod},           {"http_header", B::kHttpHeader},
      {"http_raw_header", B::kHttpHeaderRaw},    {"http_cookie", B::kHttpCookie},
      {"http_client_body", B::kHttpRequestBody}, {"http_server_body", B::kFileData},
      {"http_stat_code", B::kHttpStatCode},      {"http_stat_msg", B::kHttpStatMsg},
      {"http_user_agent", B::kHttpUserAgent},    {"http_host", B::kHttpHost},
      {"http_raw_host", B::kHttpHostRaw},
  };
  for (const auto& [name, b] : kModifiers)
    if (kw == name) return b;
  return std::nullopt;
}

std::optional<app::AppBuffer> pcre_flag_buffer(char f) {
  using B = app::AppBuffer;
  switch (f) {
    case 'U': return B::kHttpUri;
    case 'I': return B::kHttpUriRaw;
    case 'P': return B::kHttpRequestBody;
    case 'Q': return B::kFileData;
    case 'H': return B::kHttpHeader;
    case 'D': return B::kHttpHeaderRaw;
    case 'M': return B::kHttpMethod;
    case 'C': return B::kHttpCookie;
    case 'S': return B::kHttpStatCode;
    case 'Y': return B::kHttpStatMsg;
    case 'V': return B::kHttpUserAgent;
    case 'W': return B::kHttpHost;
    case 'Z': return B::kHttpHostRaw;
    default: return std::nullopt;
  }
}

}  // namespace

core::Result<int> OptionState::app_list(app::AppBuffer b, std::string_view keyword) {
  app::AppProto need = buffer_proto(b);
  if (need != app::AppProto::kUnknown) {
    if (r_.app_proto != app::AppProto::kUnknown && r_.app_proto != need)
      return err(keyword, "buffer does not belong to the rule's protocol '" +
                              std::string(app::app_proto_name(r_.app_proto)) + "'");
    r_.app_proto = need;
    if (r_.proto == Proto::kIp || r_.proto == Proto::kIpv4 || r_.proto == Proto::kIpv6)
      r_.proto = app::app_proto_on_udp(need) ? Proto::kTcpOrUdp : Proto::kTcp;
  }
  r_.app_sides |= app::app_buffer_to_server(b) ? 1 : 2;
  for (size_t i = 0; i < r_.buffers.size(); ++i)
    if (r_.buffers[i].is_app && r_.buffers[i].app_buffer == b && r_.buffers[i].plain())
      return int(i);
  BufferList list;
  list.is_app = true;
  list.app_buffer = b;
  r_.buffers.push_back(std::move(list));
  return int(r_.buffers.size() - 1);
}

core::Status OptionState::move_last_content(app::AppBuffer b, std::string_view modifier) {
  if (last_content_buffer_ < 0) return err(modifier, "needs a preceding content");
  const int from_idx = last_content_buffer_;
  {
    const auto& from = r_.buffers[size_t(from_idx)];
    if (from.is_app)
      return err(modifier, "content is already in buffer '" + std::string(from.name()) + "'");
    if (size_t(last_content_item_) + 1 != from.items.size())
      return err(modifier, "must follow its content");
  }
  BufferItem item = std::move(r_.buffers[size_t(from_idx)].items.back());
  r_.buffers[size_t(from_idx)].items.pop_back();
  // app_list may grow r_.buffers: index, never hold references across it.
  auto idx = app_list(b, modifier);
  if (!idx) return idx.error();
  r_.buffers[size_t(*idx)].items.push_back(std::move(item));
  last_content_buffer_ = *idx;
  last_content_item_ = int(r_.buffers[size_t(*idx)].items.size() - 1);
  // A payload list left empty by the move is removed.
  if (r_.buffers[size_t(from_idx)].items.empty()) {
    r_.buffers.erase(r_.buffers.begin() + from_idx);
    if (last_content_buffer_ > from_idx) --last_content_buffer_;
    if (current_buffer_ == from_idx) current_buffer_ = -1;
    else if (current_buffer_ > from_idx) --current_buffer_;
  }
  return {};
}

core::Status OptionState::apply(const rules::RawOption& opt) {
  bool handled = false;
  core::Status s = apply_meta(opt, handled);
  if (!s.ok() || handled) return s;
  s = apply_content_modifier(opt, handled);
  if (!s.ok() || handled) return s;
  s = apply_transform(opt, handled);
  if (!s.ok() || handled) return s;
  s = apply_payload(opt, handled);
  if (!s.ok() || handled) return s;
  s = apply_packet(opt, handled);
  if (!s.ok() || handled) return s;
  for (auto k : kNoEffect)
    if (opt.name == k) return {};
  return core::make_error("unknown keyword '" + opt.name + "'");
}

core::Status OptionState::apply_meta(const rules::RawOption& opt, bool& handled) {
  handled = true;
  const std::string& n = opt.name;
  std::string_view v = trim(opt.value);
  if (n == "msg") {
    r_.msg = rules::unquote_value(v);
  } else if (n == "sid" || n == "rev" || n == "gid") {
    auto num = keywords::parse_uint(n, v, 0xffffffffull);
    if (!num) return num.error();
    if (n == "sid") {
      if (*num == 0) return err(n, "sid must be greater than 0");
      r_.sid = uint32_t(*num);
      has_sid_ = true;
    } else if (n == "rev") {
      r_.rev = uint32_t(*num);
    } else {
      r_.gid = uint32_t(*num);
    }
  } else if (n == "classtype") {
    std::string ct(v);
    auto it = ctx_.classtypes.find(ct);
    if (it == ctx_.classtypes.end()) return err(n, "unknown classtype '" + ct + "'");
    r_.classtype = ct;
    r_.category = it->second.description;
    if (!r_.priority_set) r_.priority = it->second.priority;
  } else if (n == "priority") {
    auto num = keywords::parse_uint(n, v, 255);
    if (!num) return num.error();
    if (*num == 0) return err(n, "priority must be 1..255");
    r_.priority = int(*num);
    r_.priority_set = true;
  } else if (n == "reference") {
    auto comma = v.find(',');
    if (comma == std::string_view::npos) return err(n, "expected 'type,value'");
    r_.references.emplace_back(std::string(trim(v.substr(0, comma))),
                                std::string(trim(v.substr(comma + 1))));
  } else if (n == "metadata") {
    std::string_view rest = v;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view item = trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (item.empty()) continue;
      auto sp = item.find(' ');
      if (sp == std::string_view::npos) {
        r_.metadata.emplace_back(std::string(item), "");
      } else {
        r_.metadata.emplace_back(std::string(trim(item.substr(0, sp))),
                                 std::string(trim(item.substr(sp + 1))));
      }
    }
  } else if (n == "target") {
    if (v == "src_ip") r_.target = Rule::Target::kSrc;
    else if (v == "dest_ip") r_.target = Rule::Target::kDst;
    else return err(n, "expected src_ip or dest_ip");
  } else if (n == "noalert") {
    r_.noalert = true;
  } else if (n == "alert") {
    // A pass rule that also alerts (Suricata 8); other actions alert anyway.
    if (!v.empty()) return err(n, "takes no value");
    r_.pass_alerts = true;
  } else if (n == "config") {
    auto c = keywords::ConfigSetting::parse(v);
    if (!c) return c.error();
    r_.disable_tx_logging = true;
  } else if (n == "threshold") {
    if (r_.threshold) return err(n, "only one threshold per rule");
    auto t = threshold::parse_threshold_keyword(v);
    if (!t) return t.error();
    r_.threshold = *t;
  } else if (n == "detection_filter") {
    if (r_.detection_filter) return err(n, "only one detection_filter per rule");
    auto t = threshold::parse_detection_filter(v);
    if (!t) return t.error();
    r_.detection_filter = *t;
  } else if (n == "tag") {
    auto t = keywords::TagSpec::parse(v);
    if (!t) return t.error();
    r_.tags.push_back(*t);
  } else if (n == "requires") {
    return apply_requires(v);
  } else {
    handled = false;
  }
  return {};
}

core::Status OptionState::apply_requires(std::string_view v) {
  // "requires: feature X, version >= 7.0.3 < 8"; unmet requirements skip
  // the rule quietly, as Suricata does.
  std::string_view rest = v;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (item.starts_with("feature")) {
      std::string_view f = trim(item.substr(7));
      static const std::string_view kFeatures[] = {"ja3", "ja4"};
      bool have = std::find(std::begin(kFeatures), std::end(kFeatures), f) != std::end(kFeatures);
      if (!have) {
        skipped_ = true;
        skip_reason_ = "requires feature " + std::string(f);
      }
    } else if (item.starts_with("version")) {
      std::string_view expr = trim(item.substr(7));
      const uint64_t have = version_number(kEngineVersion);
      while (!expr.empty()) {
        std::string_view op;
        for (std::string_view cand : {">=", "<=", ">", "<", "="})
          if (expr.starts_with(cand)) { op = cand; break; }
        if (op.empty()) return err("requires", "invalid version expression");
        expr = trim(expr.substr(op.size()));
        auto sp = expr.find(' ');
        uint64_t want = version_number(expr.substr(0, sp));
        expr = sp == std::string_view::npos ? std::string_view{} : trim(expr.substr(sp));
        bool ok = op == ">=" ? have >= want : op == "<=" ? have <= want
                : op == ">" ? have > want : op == "<" ? have < want : have == want;
        if (!ok) {
          skipped_ = true;
          skip_reason_ = "requires version " + std::string(v);
        }
      }
    } else if (!item.empty()) {
      return err("requires", "unknown requirement '" + std::string(item) + "'");
    }
  }
  return {};
}

core::Status OptionState::apply_content_modifier(const rules::RawOption& opt, bool& handled) {
  handled = true;
  const std::string& n = opt.name;
  std::string_view v = trim(opt.value);
  core::Status status;
  if (n == "nocase") {
    auto* c = last_content(n, status);
    if (!c) return status;
    c->nocase = true;
  } else if (n == "depth" || n == "offset" || n == "distance" || n == "within") {
    auto* c = last_content(n, status);
    if (!c) return status;
    if (c->startswith) return err(n, "can't be combined with startswith");
    const bool rel = n == "distance" || n == "within";
    if (rel && (c->has_offset || c->has_depth))
      return err(n, "can't mix a relative keyword with offset/depth on one content");
    if (!rel && (c->has_distance || c->has_within))
      return err(n, "can't mix offset/depth with a relative keyword on one content");
    int8_t slot = -1;
    auto val = position_value(n, v, n == "distance" ? -65535 : 0, 65535, slot);
    if (!val) return val.error();
    if (n == "depth") {
      if (c->has_depth) return err(n, "given twice");
      if (slot < 0 && *val == 0) return err(n, "must be greater than 0");
      if (slot < 0 && size_t(*val) < c->bytes.size())
        return err(n, "depth " + std::to_string(*val) + " is smaller than the content length " +
                          std::to_string(c->bytes.size()));
      c->has_depth = true; c->depth = *val; c->depth_var = slot;
    } else if (n == "offset") {
      if (c->has_offset) return err(n, "given twice");
      c->has_offset = true; c->offset = *val; c->offset_var = slot;
    } else if (n == "distance") {
      if (c->has_distance) return err(n, "given twice");
      c->has_distance = true; c->distance = *val; c->distance_var = slot;
    } else {
      if (c->has_within) return err(n, "given twice");
      if (slot < 0 && *val == 0) return err(n, "must be greater than 0");
      if (slot < 0 && size_t(*val) < c->bytes.size())
        return err(n, "within " + std::to_string(*val) + " is smaller than the content length " +
                          std::to_string(c->bytes.size()));
      c->has_within = true; c->within = *val; c->within_var = slot;
    }
  } else if (n == "startswith") {
    auto* c = last_content(n, status);
    if (!c) return status;
    if (c->has_offset || c->has_depth || c->has_distance || c->has_within)
      return err(n, "can't be combined with offset, depth, distance or within");
    c->startswith = true;
  } else if (n == "endswith") {
    auto* c = last_content(n, status);
    if (!c) return status;
    c->endswith = true;
  } else if (n == "fast_pattern") {
    auto* c = last_content(n, status);
    if (!c) return status;
    if (c->negated && v != "") return err(n, "can't be used on a negated content with options");
    if (r_.buffers[size_t(last_content_buffer_)].base64_data)
      return err(n, "cannot be used on base64_data");
    c->fast_pattern = true;
    if (v == "only") {
      c->fast_pattern_only = true;
    } else if (!v.empty()) {
      auto comma = v.find(',');
      if (comma == std::string_view::npos) return err(n, "expected 'only' or '<offset>,<length>'");
      auto off = keywords::parse_uint(n, v.substr(0, comma), 65535);
      if (!off) return off.error();
      auto len = keywords::parse_uint(n, v.substr(comma + 1), 65535);
      if (!len) return len.error();
      if (*off + *len > c->bytes.size() || *len == 0)
        return err(n, "chop exceeds the content length");
      c->fast_pattern_chop = true;
      c->fp_offset = uint16_t(*off);
      c->fp_length = uint16_t(*len);
    }
  } else {
    handled = false;
  }
  return {};
}

core::Status OptionState::apply_payload(const rules::RawOption& opt, bool& handled) {
  handled = true;
  const std::string& n = opt.name;
  std::string_view v = trim(opt.value);
  auto resolver = [this](std::string_view name) { return resolve_var(name); };
  auto definer = [this](std::string_view name) { return define_var(name); };
  if (auto ab = app_buffer_alias(n)) {
    if (auto s = before_buffer_switch(n); !s.ok()) return s;
    auto idx = app_list(*ab, n);
    if (!idx) return idx.error();
    current_buffer_ = *idx;
    list_set_ = true;
    return {};
  }
  if (auto mod = legacy_modifier(n)) return move_last_content(*mod, n);
  if (n == "filename" || n == "fileext" || n == "filemagic") return apply_file_content(n, v);
  if (n == "uricontent") {
    auto cv = rules::parse_content_value(v);
    if (!cv) return err(n, cv.error().message);
    keywords::Content c;
    c.bytes = std::move(cv->bytes);
    c.negated = cv->negated;
    auto idx = app_list(app::AppBuffer::kHttpUri, n);
    if (!idx) return idx.error();
    auto& list = r_.buffers[size_t(*idx)];
    list.items.emplace_back(std::move(c));
    last_content_buffer_ = *idx;
    last_content_item_ = int(list.items.size() - 1);
    return {};
  }
  if (auto buf = buffer_by_keyword(n)) {
    // Sticky buffer: following payload keywords inspect this buffer.
    if (auto s = before_buffer_switch(n); !s.ok()) return s;
    list_set_ = *buf != BufferId::kPayload;
    auto it = std::find_if(r_.buffers.begin(), r_.buffers.end(), [&](const BufferList& b) {
      return !b.is_app && b.id == *buf && b.plain();
    });
    if (it == r_.buffers.end()) {
      r_.buffers.push_back(BufferList{*buf, {}});
      current_buffer_ = int(r_.buffers.size() - 1);
    } else {
      current_buffer_ = int(it - r_.buffers.begin());
    }
    return {};
  }
  if (n == "content") {
    auto cv = rules::parse_content_value(v);
    if (!cv) return err(n, cv.error().message);
    keywords::Content c;
    c.bytes = std::move(cv->bytes);
    c.negated = cv->negated;
    auto& list = current_list();
    list.items.emplace_back(std::move(c));
    last_content_buffer_ = current_buffer_;
    last_content_item_ = int(list.items.size() - 1);
  } else if (n == "pcre") {
    auto p = keywords::Pcre::parse(v, ctx_.pcre_limits);
    if (!p) return p.error();
    if (auto s = bind_captures(*p); !s.ok()) return s;
    if (p->buffer_flag) {
      auto b = pcre_flag_buffer(p->buffer_flag);
      if (!b) return err(n, std::string("unsupported buffer modifier '") + p->buffer_flag + "'");
      auto idx = app_list(*b, n);
      if (!idx) return idx.error();
      r_.buffers[size_t(*idx)].items.emplace_back(std::move(*p));
    } else {
      list_for(p->relative).items.emplace_back(std::move(*p));
    }
  } else if (n == "byte_test") {
    auto k = keywords::ByteTest::parse(v, resolver);
    if (!k) return k.error();
    list_for(k->relative).items.emplace_back(std::move(*k));
  } else if (n == "byte_jump") {
    auto k = keywords::ByteJump::parse(v, resolver);
    if (!k) return k.error();
    list_for(k->relative).items.emplace_back(std::move(*k));
  } else if (n == "byte_extract") {
    auto k = keywords::ByteExtract::parse(v, resolver, definer);
    if (!k) return k.error();
    list_for(k->relative).items.emplace_back(std::move(*k));
  } else if (n == "byte_math") {
    auto k = keywords::ByteMath::parse(v, resolver, definer);
    if (!k) return k.error();
    list_for(k->relative).items.emplace_back(std::move(*k));
  } else if (n == "isdataat") {
    auto k = keywords::IsDataAt::parse(v, resolver);
    if (!k) return k.error();
    list_for(k->relative).items.emplace_back(std::move(*k));
  } else if (n == "bsize") {
    auto cmp = keywords::parse_num_cmp(n, v, 0xffffffffull);
    if (!cmp) return cmp.error();
    current_list().items.emplace_back(Bsize{*cmp});
  } else if (n == "absent") {
    return apply_absent(v);
  } else if (n == "pkt_data" ) {
    if (auto s = before_buffer_switch(n); !s.ok()) return s;
    current_buffer_ = -1;
    list_set_ = false;
  } else {
    handled = false;
  }
  return {};
}

core::Status OptionState::apply_packet(const rules::RawOption& opt, bool& handled) {
  handled = true;
  const std::string& n = opt.name;
  std::string_view v = trim(opt.value);
  core::Error kerr;
  if (auto tk = keywords::make_tx_keyword(n, v, kerr)) {
    const app::AppProto need = tk->proto();
    if (need != app::AppProto::kUnknown) {
      if (r_.app_proto != app::AppProto::kUnknown && r_.app_proto != need)
        return err(n, "keyword does not belong to the rule's protocol '" +
                          std::string(app::app_proto_name(r_.app_proto)) + "'");
      r_.app_proto = need;
      if (r_.proto == Proto::kIp || r_.proto == Proto::kIpv4 || r_.proto == Proto::kIpv6)
        r_.proto = app::app_proto_on_udp(need) ? Proto::kTcpOrUdp : Proto::kTcp;
    }
    r_.app_sides |= tk->sides();
    r_.tx_keywords.push_back(std::move(tk));
    return {};
  }
  if (!kerr.message.empty()) return kerr;
  if (auto fk = keywords::make_flow_keyword(n, v, kerr)) {
    r_.flow_keywords.push_back(std::move(fk));
    return {};
  }
  if (!kerr.message.empty()) return kerr;
  core::Result<keywords::PacketMatch> m = core::make_error("");
  if (keywords::is_field_keyword(n)) m = keywords::parse_field_keyword(n, v);
  else if (n == "flags" || n == "tcp.flags") m = keywords::parse_tcp_flags(v);
  else if (n == "fragbits") m = keywords::parse_fragbits(v);
  else if (n == "ipopts") m = keywords::parse_ipopts(v);
  else if (n == "ip_proto") m = keywords::parse_ip_proto(v);
  else if (n == "sameip") m = keywords::PacketMatch(keywords::SameIp{});
  else if (n == "decode-event") m = keywords::parse_decode_event(v);
  else if (n.ends_with("-csum")) m = keywords::parse_csum(n, v);
  else if (n == "flow") {
    if (r_.flow) return err(n, "only one flow keyword per rule");
    auto f = keywords::FlowMatch::parse(v);
    if (!f) return f.error();
    r_.flow = *f;
    return {};
  } else if (n == "flowint" || n == "hostbits" || n == "xbits") {
    return apply_state_keyword(n, v);
  } else if (n == "flowbits") {
    auto fb = keywords::Flowbits::parse(v, ctx_.intern_flowbit);
    if (!fb) return fb.error();
    if (fb->op == keywords::Flowbits::kNoAlert) r_.noalert = true;
    else if (fb->is_condition()) r_.flowbit_conditions.push_back(std::move(*fb));
    else r_.flowbit_actions.push_back(std::move(*fb));
    return {};
  } else {
    handled = false;
    return {};
  }
  if (!m) return m.error();
  r_.packet.push_back(std::move(*m));
  return {};
}

core::Status OptionState::apply_state_keyword(std::string_view n, std::string_view v) {
  VarNames* names = ctx_.var_names;
  if (!names) return err(n, "no variable store in this build context");
  if (n == "flowint") {
    auto fi = keywords::Flowint::parse(
        v, [names](std::string_view name) { return names->intern(VarKind::kFlowint, name); });
    if (!fi) return fi.error();
    (fi->is_action() ? r_.flowint_actions : r_.flowint_conditions).push_back(std::move(*fi));
    return {};
  }
  auto intern = [names](bool pair, std::string_view name) {
    return names->intern(pair ? VarKind::kIpPairbit : VarKind::kHostbit, name);
  };
  auto xb = n == "xbits" ? keywords::Xbits::parse_xbits(v, intern)
                         : keywords::Xbits::parse_hostbits(v, intern);
  if (!xb) return xb.error();
  if (xb->op == keywords::Xbits::kNoAlert) r_.noalert = true;
  else (xb->is_condition() ? r_.xbit_conditions : r_.xbit_actions).push_back(std::move(*xb));
  return {};
}

core::Status OptionState::apply_absent(std::string_view v) {
  if (!list_set_ || current_buffer_ < 0) return err("absent", "must follow a sticky buffer");
  BufferList& list = r_.buffers[size_t(current_buffer_)];
  if (!list.items.empty() || !list.transforms.empty() || !pending_transforms_.empty() ||
      list.base64_data)
    return err("absent", "must directly follow its sticky buffer");
  if (list.absent != BufferList::Absent::kNone) return err("absent", "given twice");
  if (v.empty()) list.absent = BufferList::Absent::kOnly;
  else if (v == "or_else") list.absent = BufferList::Absent::kOrElse;
  else return err("absent", "expected no value or 'or_else'");
  return {};
}

core::Status OptionState::bind_captures(keywords::Pcre& p) {
  if (p.captures.empty()) return {};
  VarNames* names = ctx_.var_names;
  if (!names) return err("pcre", "no variable store for captures");
  for (auto& c : p.captures) {
    c.id = names->intern(c.pkt ? VarKind::kPktvar : VarKind::kFlowvar, c.name);
    (c.pkt ? r_.captures_pktvar : r_.captures_flowvar) = true;
  }
  return {};
}

// filename / fileext / filemagic: Suricata turns each into a nocase
// content on file.name (fileext: ".<ext>" anchored at the end) or
// file.magic; the sticky buffer stays where it was.
core::Status OptionState::apply_file_content(std::string_view n, std::string_view v) {
  auto cv = rules::parse_content_value(v);
  if (!cv) return err(n, cv.error().message);
  keywords::Content c;
  c.bytes = std::move(cv->bytes);
  if (c.bytes.empty()) return err(n, "empty value");
  if (n == "fileext") {
    c.bytes.insert(c.bytes.begin(), uint8_t('.'));
    c.endswith = true;
  }
  c.negated = cv->negated;
  c.nocase = true;
  auto idx = app_list(n == "filemagic" ? app::AppBuffer::kFileMagic : app::AppBuffer::kFileName, n);
  if (!idx) return idx.error();
  auto& list = r_.buffers[size_t(*idx)];
  list.items.emplace_back(std::move(c));
  last_content_buffer_ = *idx;
  last_content_item_ = int(list.items.size() - 1);
  return {};
}

// Rules on files (file.data, file.name, file.magic, filesize, ...) look at
// the files of the rule's direction and are inspected once that side is
// done; without a direction, when the response is (both sides' files are
// there by then).
void OptionState::settle_http_sides() {
  // http.header, http.cookie, http.start, ... exist on both sides of a
  // transaction; a rule that reads to_client inspects the response's.
  if (!r_.flow || !r_.flow->to_client) return;
  using B = app::AppBuffer;
  static const std::pair<B, B> kTwins[] = {
      {B::kHttpHeader, B::kHttpResponseHeaders},
      {B::kHttpHeaderRaw, B::kHttpResponseHeaderRaw},
      {B::kHttpHeaderNames, B::kHttpResponseHeaderNames},
      {B::kHttpStart, B::kHttpResponseStart},
      {B::kHttpCookie, B::kHttpSetCookie},
      {B::kHttpContentType, B::kHttpResponseContentType},
      {B::kHttpContentLen, B::kHttpResponseContentLen},
      {B::kHttpProtocol, B::kHttpResponseProtocol},
  };
  bool changed = false;
  for (auto& b : r_.buffers) {
    if (!b.is_app) continue;
    for (const auto& [request, response] : kTwins)
      if (b.app_buffer == request) {
        b.app_buffer = response;
        changed = true;
      }
  }
  if (!changed) return;
  uint8_t sides = 0;
  for (const auto& b : r_.buffers)
    if (b.is_app) sides |= app::app_buffer_to_server(b.app_buffer) ? 1 : 2;
  for (const auto& tk : r_.tx_keywords) sides |= tk->sides();
  r_.app_sides = sides | (r_.app_sides & 2);
}

void OptionState::settle_file_sides() {
  bool files = false;
  uint8_t other = 0;
  for (const auto& b : r_.buffers) {
    if (!b.is_app) continue;
    const bool file_buf = b.app_buffer == app::AppBuffer::kFileData ||
                          b.app_buffer == app::AppBuffer::kFileName ||
                          b.app_buffer == app::AppBuffer::kFileMagic;
    if (file_buf) files = true;
    else other |= app::app_buffer_to_server(b.app_buffer) ? 1 : 2;
    if (b.app_buffer == app::AppBuffer::kFileMagic) app::files::file_settings().magic = true;
  }
  for (const auto& tk : r_.tx_keywords) {
    if (dynamic_cast<const keywords::FileKeyword*>(tk.get())) files = true;
    else other |= tk->sides();
  }
  if (!files) return;
  uint8_t dirs = 3;
  if (r_.flow && r_.flow->to_server) dirs = 1;
  else if (r_.flow && r_.flow->to_client) dirs = 2;
  r_.file_dirs = dirs;
  r_.app_sides = other | (dirs == 3 ? 2 : dirs);
}

void OptionState::choose_fast_pattern() {
  // An explicit fast_pattern wins; otherwise the longest positive content.
  // Packet rules take it from the payload (the packet prefilter scans it),
  // transaction rules from their app buffers (scanned per transaction).
  const bool app_rule = r_.app_sides != 0;
  int best_b = -1, best_i = -1;
  size_t best_len = 0;
  bool best_explicit = false;
  for (size_t b = 0; b < r_.buffers.size(); ++b) {
    const BufferList& list = r_.buffers[b];
    if (app_rule ? !list.is_app : (list.is_app || list.id != BufferId::kPayload)) continue;
    // Transaction rules prefilter on transformed buffers too (the database
    // is keyed by buffer and transform chain); packet rules only on the
    // plain payload.
    if (list.base64_data || (!app_rule && !list.plain())) continue;
    // A list that also matches when its buffer is absent can't prefilter.
    if (list.absent != BufferList::Absent::kNone) continue;
    // The prefilter scans buffers as published, so a content of a
    // transformed list (or of base64_data) can't be its pattern.
    const auto& items = list.items;
    for (size_t i = 0; i < items.size(); ++i) {
      const auto* c = std::get_if<keywords::Content>(&items[i]);
      if (!c || c->negated) continue;
      size_t len = c->fast_pattern_bytes().size();
      if ((c->fast_pattern && !best_explicit) || (c->fast_pattern == best_explicit && len > best_len)) {
        best_b = int(b);
        best_i = int(i);
        best_len = len;
        best_explicit = c->fast_pattern;
      }
    }
  }
  r_.fp_buffer = best_b;
  r_.fp_item = best_i;
}

void OptionState::classify_ip_only() {
  // Suricata inspects rules that only look at addresses once per flow
  // direction (its "IP-only" engine); this changes alert counts.
  const bool header_only = r_.buffers.empty() && r_.packet.empty() && !r_.flow &&
                           r_.tx_keywords.empty() && r_.flow_keywords.empty() &&
                           r_.flowbit_conditions.empty() && r_.flowint_conditions.empty() &&
                           r_.flowint_actions.empty() && !r_.captures_flowvar &&
                           !r_.captures_pktvar && r_.proto != Proto::kPkthdr;
  r_.ip_only = header_only && r_.app_proto == app::AppProto::kUnknown && r_.src_port_any &&
               r_.dst_port_any;
  // Rules that look at nothing but the header (addresses, ports, protocol,
  // app-layer protocol) act on the whole flow, like IP-only ones.
  r_.action_on_flow = header_only;
}

core::Status OptionState::finish() {
  if (!has_sid_) return core::make_error("rule has no sid");
  if (!pending_transforms_.empty()) return core::make_error("no matches following transform(s)");
  for (auto& b : r_.buffers) {
    if (b.absent == BufferList::Absent::kOnly && !b.items.empty())
      return core::make_error("absent: can't be combined with other keywords on '" +
                              std::string(b.name()) + "' (use 'absent: or_else')");
    if (b.absent == BufferList::Absent::kOrElse && b.items.empty())
      return core::make_error("absent: 'or_else' needs keywords after it on '" +
                              std::string(b.name()) + "'");
    if (b.items.empty() && b.absent == BufferList::Absent::kNone)
      return core::make_error("sticky buffer '" + std::string(b.name()) +
                              "' has no keyword after it");
    // startswith/endswith are depth/anchor shorthands, resolved here.
    for (auto& item : b.items) {
      if (auto* c = std::get_if<keywords::Content>(&item)) {
        if (c->has_depth && c->has_offset && c->depth_var < 0 && c->offset_var < 0 &&
            c->depth < 0)
          return core::make_error("depth: invalid");
      }
    }
  }
  if (r_.proto == Proto::kPkthdr && !r_.buffers.empty()) {
    for (auto& b : r_.buffers)
      if (!b.is_app && b.id == BufferId::kPayload && !b.base64_data)
        return core::make_error("pkthdr rules can't inspect the payload");
  }
  settle_http_sides();
  settle_file_sides();
  choose_fast_pattern();
  classify_ip_only();
  return {};
}

}  // namespace pasban::detect::build
