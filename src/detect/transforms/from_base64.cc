// from_base64:[bytes N][, offset N][, mode rfc4648|rfc2045|strict]
// (Suricata 8). The default mode is rfc4648; offset and bytes are at most
// 65535 and must be numbers (byte_extract variables are not accepted).
#include "detect/transforms/transform.h"

#include <charconv>

#include "detect/keywords/numeric.h"

namespace pasban::detect::transforms {

core::Result<FromBase64Options> parse_from_base64(std::string_view value) {
  FromBase64Options o;
  std::string_view rest = keywords::trim(value);
  if (rest.empty()) return o;
  bool have_bytes = false, have_offset = false, have_mode = false;
  int count = 0;
  while (!rest.empty() || count == 0) {
    const size_t comma = rest.find(',');
    std::string_view item = keywords::trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (++count > 3) return core::make_error("from_base64: at most 3 options (bytes, offset, mode)");
    const size_t sp = item.find_first_of(" \t");
    if (sp == std::string_view::npos)
      return core::make_error("from_base64: expected '<option> <value>', got '" + std::string(item) + "'");
    std::string_view name = item.substr(0, sp), val = keywords::trim(item.substr(sp));
    if (name == "mode") {
      if (have_mode) return core::make_error("from_base64: mode already set");
      have_mode = true;
      if (val == "rfc4648") o.mode = Base64Mode::kRfc4648;
      else if (val == "rfc2045") o.mode = Base64Mode::kRfc2045;
      else if (val == "strict") o.mode = Base64Mode::kStrict;
      else return core::make_error("from_base64: invalid mode value: " + std::string(val));
    } else if (name == "bytes" || name == "offset") {
      bool& seen = name == "bytes" ? have_bytes : have_offset;
      if (seen) return core::make_error("from_base64: " + std::string(name) + " already set");
      seen = true;
      if (!val.empty() && (std::isalpha(static_cast<unsigned char>(val[0])) || val[0] == '_'))
        return core::make_error("from_base64: " + std::string(name) +
                                " value must be a value, not a variable name");
      uint64_t n = 0;
      auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), n);
      if (val.empty() || ec != std::errc() || p != val.data() + val.size())
        return core::make_error("from_base64: invalid " + std::string(name) + " value: " + std::string(val));
      if (n > 65535)
        return core::make_error("from_base64: " + std::string(name) + " must be between 0 and 65535");
      (name == "bytes" ? o.bytes : o.offset) = uint32_t(n);
    } else {
      return core::make_error("from_base64: unknown option '" + std::string(name) + "'");
    }
    if (comma == std::string_view::npos) break;
  }
  return o;
}

bool from_base64(core::Bytes in, const FromBase64Options& o, std::string& out) {
  core::Bytes src = in;
  // Out of range: Suricata leaves the buffer untransformed.
  if (o.offset > 0) {
    if (o.offset >= src.size()) {
      out.assign(core::as_chars(in));
      return true;
    }
    src = src.subspan(o.offset);
  }
  if (o.bytes > 0) {
    if (o.bytes >= src.size()) {
      out.assign(core::as_chars(in));
      return true;
    }
    src = src.first(o.bytes);
  }
  out.clear();
  // Nothing decoded: the buffer is in error and can't match.
  return base64_decode(src, o.mode, out) && !out.empty();
}

}  // namespace pasban::detect::transforms
