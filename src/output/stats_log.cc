#include "output/stats_log.h"

#include <cstdio>
#include <ctime>

#include "output/log_file.h"

namespace pasban::output {

bool write_stats_log(const std::string& path, const core::Counters& counters,
                     core::Timestamp now, int64_t uptime_s, std::string& error) {
  LogFile f;
  if (!f.open(path, true)) {
    error = f.error();
    return false;
  }
  const std::string rule(84, '-');
  char buf[256];
  time_t t = static_cast<time_t>(now.sec);
  struct tm tm{};
  localtime_r(&t, &tm);
  std::snprintf(buf, sizeof buf, "Date: %02d/%02d/%04d -- %02d:%02d:%02d (uptime: %lldd, %02lldh %02lldm %02llds)\n",
                tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(uptime_s / 86400), static_cast<long long>(uptime_s / 3600 % 24),
                static_cast<long long>(uptime_s / 60 % 60), static_cast<long long>(uptime_s % 60));
  f.write(rule + "\n" + buf + rule + "\n");
  f.write("Counter                                       | TM Name                   | Value\n" + rule + "\n");
  for (core::Counters::Id i = 0; i < counters.size(); ++i) {
    if (counters.get(i) == 0) continue;  // as Suricata: zero counters are left out
    std::snprintf(buf, sizeof buf, "%-45s | %-25s | %llu\n", counters.name(i).c_str(), "Total",
                  static_cast<unsigned long long>(counters.get(i)));
    f.write(buf);
  }
  f.close();
  if (!f.ok()) {
    error = f.error();
    return false;
  }
  return true;
}

}  // namespace pasban::output
