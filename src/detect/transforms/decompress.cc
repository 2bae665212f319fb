// gunzip and zlib_deflate (Suricata 8.0.4): the buffer becomes its
// decompression, at most max-size bytes (default 1024); data that does not
// decompress gives an empty buffer.
#include <zlib.h>

#include <charconv>

#include "detect/keywords/numeric.h"
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {

core::Result<uint32_t> parse_max_size(std::string_view keyword, std::string_view value) {
  std::string_view v = keywords::trim(value);
  if (v.empty()) return kDefaultDecompressMax;
  // "max-size N" (8.0) or "max-size=N" (later releases); N may carry a
  // KiB/MiB/GiB unit.
  if (!v.starts_with("max-size") || v.size() == 8 ||
      (v[8] != ' ' && v[8] != '\t' && v[8] != '='))
    return core::make_error(std::string(keyword) + ": unknown option '" + std::string(v) + "'");
  v = keywords::trim(v.substr(9));
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p == v.data())
    return core::make_error(std::string(keyword) + ": invalid max-size value");
  std::string_view unit = keywords::trim(std::string_view(p, size_t(v.data() + v.size() - p)));
  if (unit == "KiB") n <<= 10;
  else if (unit == "MiB") n <<= 20;
  else if (unit == "GiB") n <<= 30;
  else if (!unit.empty())
    return core::make_error(std::string(keyword) + ": invalid max-size unit '" + std::string(unit) + "'");
  if (n == 0) return core::make_error(std::string(keyword) + ": max-size 0 would always give an empty buffer");
  if (n > 0xffffffffull) return core::make_error(std::string(keyword) + ": max-size too large");
  return uint32_t(n);
}

void decompress(core::Bytes in, bool gzip, uint32_t max_size, std::string& out) {
  out.resize(max_size);
  z_stream z{};
  // 16 + MAX_WBITS: a gzip member; MAX_WBITS: a zlib stream.
  if (inflateInit2(&z, gzip ? 16 + MAX_WBITS : MAX_WBITS) != Z_OK) {
    out.clear();
    return;
  }
  z.next_in = const_cast<Bytef*>(in.data());
  z.avail_in = uInt(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(max_size);
  const int rc = inflate(&z, Z_SYNC_FLUSH);
  const size_t produced = max_size - z.avail_out;
  inflateEnd(&z);
  // Truncated input still gives what it decoded; corrupt input nothing.
  if (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR) out.resize(produced);
  else out.clear();
}

}  // namespace pasban::detect::transforms
