#include "core/timestamp.h"

#include <cstdio>
#include <ctime>

namespace pasban::core {

std::string format_eve_timestamp(Timestamp ts) {
  time_t t = static_cast<time_t>(ts.sec);
  struct tm tm{};
  localtime_r(&t, &tm);
  long off = tm.tm_gmtoff;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06d%c%02ld%02ld",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                ts.usec, sign, off / 3600, (off % 3600) / 60);
  return buf;
}

std::string format_fast_timestamp(Timestamp ts) {
  time_t t = static_cast<time_t>(ts.sec);
  struct tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d-%02d:%02d:%02d.%06d", tm.tm_mon + 1,
                tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.usec);
  return buf;
}

}  // namespace pasban::core
