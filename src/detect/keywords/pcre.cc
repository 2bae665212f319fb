#include "detect/keywords/pcre.h"

#include "detect/rules/content_string.h"

namespace pasban::detect::keywords {

namespace {

// Suricata's limit on variables one pcre may capture.
constexpr size_t kMaxCaptures = 16;

core::Status add_capture(Pcre& p, std::string_view var, uint32_t group) {
  PcreCapture c;
  c.group = group;
  if (var.starts_with("flow:")) {
    c.name = std::string(var.substr(5));
  } else if (var.starts_with("pkt:")) {
    c.pkt = true;
    c.name = std::string(var.substr(4));
  } else {
    return core::make_error("pcre: capture '" + std::string(var) + "' must be flow:NAME or pkt:NAME");
  }
  if (c.name.empty()) return core::make_error("pcre: capture without a name");
  if (p.captures.size() >= kMaxCaptures) return core::make_error("pcre: too many captures");
  p.captures.push_back(std::move(c));
  return {};
}

// The capture list after the flags, then named groups flow_NAME / pkt_NAME.
core::Status parse_captures(Pcre& p, std::string_view spec) {
  uint32_t groups = 0;
  pcre2_pattern_info(p.code.get(), PCRE2_INFO_CAPTURECOUNT, &groups);
  uint32_t next_group = 1;
  while (!spec.empty()) {
    auto comma = spec.find(',');
    std::string_view var = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    while (!var.empty() && (var.front() == ' ' || var.front() == '\t')) var.remove_prefix(1);
    while (!var.empty() && (var.back() == ' ' || var.back() == '\t')) var.remove_suffix(1);
    if (var.empty()) continue;
    if (next_group > groups) return core::make_error("pcre: more capture variables than groups");
    if (auto st = add_capture(p, var, next_group++); !st.ok()) return st;
  }
  uint32_t count = 0, entry_size = 0;
  PCRE2_SPTR table = nullptr;
  pcre2_pattern_info(p.code.get(), PCRE2_INFO_NAMECOUNT, &count);
  pcre2_pattern_info(p.code.get(), PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
  pcre2_pattern_info(p.code.get(), PCRE2_INFO_NAMETABLE, &table);
  for (uint32_t i = 0; i < count && table; ++i) {
    const auto* e = reinterpret_cast<const char*>(table + size_t(i) * entry_size);
    const uint32_t group = (uint32_t(uint8_t(e[0])) << 8) | uint8_t(e[1]);
    std::string_view name(e + 2);
    if (name.starts_with("flow_")) {
      if (auto st = add_capture(p, "flow:" + std::string(name.substr(5)), group); !st.ok()) return st;
    } else if (name.starts_with("pkt_")) {
      if (auto st = add_capture(p, "pkt:" + std::string(name.substr(4)), group); !st.ok()) return st;
    }
  }
  return {};
}

}  // namespace

core::Result<Pcre> Pcre::parse(std::string_view value, const PcreLimits& limits) {
  auto pv = rules::parse_pcre_value(value);
  if (!pv) return pv.error();
  Pcre p;
  p.negated = pv->negated;
  // "/re/flags, flow:a,pkt:b": the variables after the flags.
  std::string_view flags = pv->flags;
  std::string_view capture_spec;
  if (auto comma = flags.find(','); comma != std::string_view::npos) {
    capture_spec = flags.substr(comma + 1);
    flags = flags.substr(0, comma);
    while (!flags.empty() && (flags.back() == ' ' || flags.back() == '\t')) flags.remove_suffix(1);
  }
  p.source = "/" + pv->pattern + "/" + std::string(flags);
  uint32_t opts = 0;
  bool override_limits = false;
  for (char f : flags) {
    switch (f) {
      case 'i': opts |= PCRE2_CASELESS; break;
      case 's': opts |= PCRE2_DOTALL; break;
      case 'm': opts |= PCRE2_MULTILINE; break;
      case 'x': opts |= PCRE2_EXTENDED; break;
      case 'A': opts |= PCRE2_ANCHORED; break;
      case 'E': opts |= PCRE2_DOLLAR_ENDONLY; break;
      case 'G': opts |= PCRE2_UNGREEDY; break;
      case 'R': p.relative = true; break;
      case 'B': p.rawbytes = true; break;
      case 'O': override_limits = true; break;
      case 'U': case 'I': case 'P': case 'Q': case 'H': case 'D': case 'M': case 'C':
      case 'S': case 'Y': case 'V': case 'W': case 'Z':
        if (p.buffer_flag && p.buffer_flag != f)
          return core::make_error("pcre: more than one buffer modifier");
        p.buffer_flag = f;
        break;
      default:
        return core::make_error(std::string("pcre: unknown modifier '") + f + "'");
    }
  }
  int err = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pv->pattern.data()),
                                   pv->pattern.size(), opts, &err, &erroff, nullptr);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    return core::make_error("pcre: compile error at offset " + std::to_string(erroff) + ": " +
                            reinterpret_cast<char*>(msg));
  }
  p.code.reset(code, pcre2_code_free);
  if (auto st = parse_captures(p, capture_spec); !st.ok()) return st.error();
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
  if (!override_limits) {
    pcre2_match_context* ctx = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(ctx, limits.match_limit);
    pcre2_set_depth_limit(ctx, limits.recursion_limit);
    p.mctx.reset(ctx, pcre2_match_context_free);
  }
  return p;
}

bool Pcre::search(core::Bytes buf, uint32_t cursor, pcre2_match_data* md,
                  uint32_t& end) const noexcept {
  const uint32_t start = relative ? cursor : 0;
  if (start > buf.size()) return false;
  // Relative matches see the buffer from the cursor on, so ^ anchors there.
  const uint8_t* subject = buf.data() ? buf.data() + start : reinterpret_cast<const uint8_t*>("");
  int rc = pcre2_match(code.get(), subject, buf.size() - start, 0, 0, md, mctx.get());
  if (rc < 0) return false;
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  end = start + uint32_t(ov[1]);
  return true;
}

core::Bytes Pcre::group(core::Bytes buf, uint32_t cursor, pcre2_match_data* md,
                        uint32_t g) const noexcept {
  if (g >= pcre2_get_ovector_count(md)) return {};
  const uint32_t start = relative ? cursor : 0;
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g]) return {};
  const size_t from = start + ov[2 * g], to = start + ov[2 * g + 1];
  if (to > buf.size()) return {};
  return buf.subspan(from, to - from);
}

}  // namespace pasban::detect::keywords
