#include "detect/keywords/pcre.h"

#include "detect/rules/content_string.h"

namespace pasban::detect::keywords {

core::Result<Pcre> Pcre::parse(std::string_view value, const PcreLimits& limits) {
  auto pv = rules::parse_pcre_value(value);
  if (!pv) return pv.error();
  Pcre p;
  p.negated = pv->negated;
  p.source = "/" + pv->pattern + "/" + pv->flags;
  uint32_t opts = 0;
  bool override_limits = false;
  for (char f : pv->flags) {
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
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
  p.code.reset(code, pcre2_code_free);
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

}  // namespace pasban::detect::keywords
