// pcrexform:"<regex>": the buffer becomes the first capture group of the
// regex's first match; a buffer the regex does not match is left as is.
// The regex is written bare (no /.../flags), as in Suricata.
#include "detect/keywords/numeric.h"
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {

core::Result<std::shared_ptr<pcre2_code>> compile_pcrexform(std::string_view value) {
  std::string_view v = keywords::trim(value);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty()) return core::make_error("pcrexform: a regex is required");
  // The rule's quoting escapes; every other backslash belongs to the regex.
  std::string pattern;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == '"' || v[i + 1] == ';')) ++i;
    pattern.push_back(v[i]);
  }
  int err = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   0, &err, &erroff, nullptr);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    return core::make_error("pcrexform: compile error at offset " + std::to_string(erroff) + ": " +
                            reinterpret_cast<char*>(msg));
  }
  std::shared_ptr<pcre2_code> owned(code, pcre2_code_free);
  uint32_t captures = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
  if (captures < 1) return core::make_error("pcrexform: regex must have at least one capture group");
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // the interpreter is used if JIT fails
  return owned;
}

void pcrexform(const pcre2_code* code, core::Bytes in, pcre2_match_data* md, std::string& out) {
  pcre2_match_data* own = nullptr;
  if (!md) md = own = pcre2_match_data_create_from_pattern(code, nullptr);
  const int rc = pcre2_match(code, in.data(), in.size(), 0, 0, md, nullptr);
  // rc == 0: the ovector was too small, capture 1 still fits when md has
  // room for two pairs, which every caller's has.
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  if ((rc >= 2 || (rc == 0 && pcre2_get_ovector_count(md) >= 2)) && ov[2] != PCRE2_UNSET &&
      ov[3] >= ov[2]) {
    out.assign(reinterpret_cast<const char*>(in.data()) + ov[2], ov[3] - ov[2]);
  } else {
    out.assign(core::as_chars(in));
  }
  if (own) pcre2_match_data_free(own);
}

}  // namespace pasban::detect::transforms
