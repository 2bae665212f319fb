// Worker threads: the same capture gives the same EVE records with 1, 2 and
// 4 workers, and with threading.deterministic-output the same bytes.
#include "runtime/worker_pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "decode/outer_hash.h"
#include "output/ordered_sink.h"

namespace pasban::runtime {
namespace {

namespace fs = std::filesystem;

struct RunOutput {
  std::string eve, fast;
  uint64_t packets = 0;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs pcap through a pool of `workers` threads in a fresh log directory.
RunOutput run_pool(const std::string& pcap, const std::string& rules, size_t workers,
                   bool deterministic) {
  static int run_id = 0;
  fs::path dir = fs::temp_directory_path() /
                 ("pasban-workers-" + std::to_string(getpid()) + "-" + std::to_string(++run_id));
  fs::create_directories(dir);
  auto config = Config::load_default();
  EXPECT_TRUE(config.ok());
  EXPECT_TRUE(config->set("threading.cpu-affinity.worker-cpu-set.threads=" + std::to_string(workers)).ok());
  EXPECT_TRUE(config->set(std::string("threading.deterministic-output=") +
                          (deterministic ? "yes" : "no")).ok());
  CliOptions cli;
  cli.log_dir = dir.string();
  cli.checksum_mode = "none";
  cli.exclusive_rules.push_back(rules);
  std::vector<std::string> errors, warnings;
  auto pool = WorkerPool::create(*config, cli, errors, warnings);
  RunOutput out;
  if (!pool.ok()) {
    ADD_FAILURE() << pool.error().message;
    return out;
  }
  EXPECT_EQ((*pool)->workers(), workers);
  std::string err;
  EXPECT_TRUE((*pool)->run({pcap}, "", err)) << err;
  EXPECT_TRUE((*pool)->finish(err)) << err;
  out.packets = (*pool)->packets();
  out.eve = read_file(dir / "eve.json");
  out.fast = read_file(dir / "fast.log");
  fs::remove_all(dir);
  return out;
}

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::sort(lines.begin(), lines.end());
  return lines;
}

// The pcap cases of tests/pcap that bring their own rules.
std::vector<std::pair<std::string, std::string>> pcap_cases() {
  std::vector<std::pair<std::string, std::string>> out;
  const fs::path root = fs::path(PASBAN_SOURCE_DIR) / "tests" / "pcap";
  for (const char* c : {"detect/threshold-limit", "detect/flowbits", "detect/tag-session",
                        "app/http-files", "app/dns-eve-versions", "defrag/overlap-policy",
                        "decode/vxlan-http", "stream/raw-stream"}) {
    const fs::path d = root / c;
    if (fs::exists(d / "input.pcap") && fs::exists(d / "test.rules"))
      out.emplace_back((d / "input.pcap").string(), (d / "test.rules").string());
  }
  return out;
}

TEST(WorkerPool, SameRecordsWhateverTheThreadCount) {
  const auto cases = pcap_cases();
  ASSERT_FALSE(cases.empty());
  for (const auto& [pcap, rules] : cases) {
    SCOPED_TRACE(pcap);
    const RunOutput one = run_pool(pcap, rules, 1, false);
    EXPECT_GT(one.packets, 0u);
    EXPECT_FALSE(one.eve.empty());
    for (size_t n : {2, 4}) {
      const RunOutput many = run_pool(pcap, rules, n, false);
      EXPECT_EQ(many.packets, one.packets);
      EXPECT_EQ(sorted_lines(many.eve), sorted_lines(one.eve)) << n << " workers";
      EXPECT_EQ(sorted_lines(many.fast), sorted_lines(one.fast)) << n << " workers";
    }
  }
}

TEST(WorkerPool, DeterministicOutputIsByteIdentical) {
  for (const auto& [pcap, rules] : pcap_cases()) {
    SCOPED_TRACE(pcap);
    const RunOutput one = run_pool(pcap, rules, 1, true);
    const RunOutput unordered = run_pool(pcap, rules, 1, false);
    EXPECT_EQ(sorted_lines(one.eve), sorted_lines(unordered.eve));
    for (size_t n : {2, 4}) {
      const RunOutput many = run_pool(pcap, rules, n, true);
      EXPECT_EQ(many.eve, one.eve) << n << " workers";
      EXPECT_EQ(many.fast, one.fast) << n << " workers";
    }
  }
}

TEST(WorkerPool, SharedCapturesWhenAvailable) {
  const fs::path pcap = "/work/shared/data/pcaps/exploits/malcolm/log4j-attack.pcap";
  const fs::path rules = fs::path(PASBAN_SOURCE_DIR) / "tests/pcap/detect/flowbits/test.rules";
  if (!fs::exists(pcap)) GTEST_SKIP() << pcap << " not present";
  const RunOutput one = run_pool(pcap.string(), rules.string(), 1, true);
  const RunOutput two = run_pool(pcap.string(), rules.string(), 2, true);
  EXPECT_EQ(two.eve, one.eve);
}

// Ethernet + IPv4 header with the given addresses (no ports needed).
std::vector<uint8_t> ipv4_frame(uint8_t src_last, uint8_t dst_last, bool vlan) {
  std::vector<uint8_t> f(12, 0);
  if (vlan) f.insert(f.end(), {0x81, 0x00, 0x00, 0x05});
  f.insert(f.end(), {0x08, 0x00});
  std::vector<uint8_t> ip = {0x45, 0, 0, 20, 0, 1, 0x20, 0, 64, 17, 0, 0,
                             10, 0, 0, src_last, 10, 0, 0, dst_last};
  f.insert(f.end(), ip.begin(), ip.end());
  return f;
}

TEST(OuterHash, SymmetricAndPortFree) {
  const auto a = ipv4_frame(1, 2, false), b = ipv4_frame(2, 1, false), c = ipv4_frame(1, 3, false);
  const auto h1 = decode::outer_address_hash(1, a);
  ASSERT_TRUE(h1.has_value());
  EXPECT_EQ(h1, decode::outer_address_hash(1, b));  // both directions
  EXPECT_NE(h1, decode::outer_address_hash(1, c));
  EXPECT_EQ(h1, decode::outer_address_hash(1, ipv4_frame(1, 2, true)));  // through a VLAN tag
  // Raw IP link: the same addresses give the same worker.
  const std::vector<uint8_t> raw(a.begin() + 14, a.end());
  EXPECT_EQ(h1, decode::outer_address_hash(101, raw));
  // Not IP, or cut short: no hash (worker 0).
  std::vector<uint8_t> arp(a.begin(), a.end());
  arp[12] = 0x08, arp[13] = 0x06;
  EXPECT_FALSE(decode::outer_address_hash(1, arp).has_value());
  EXPECT_FALSE(decode::outer_address_hash(1, core::Bytes(a.data(), 20)).has_value());
  EXPECT_FALSE(decode::outer_address_hash(999, a).has_value());
}

TEST(OrderedOutput, WritesByCauseNotByArrival) {
  const fs::path path = fs::temp_directory_path() / ("pasban-ordered-" + std::to_string(getpid()));
  {
    output::LogFile file;
    ASSERT_TRUE(file.open(path.string(), false));
    output::OrderedOutput out({&file}, 2, true);
    output::RecordBuffer w0, w1;
    w1.set_cause(2, output::RecordKey::kPacket);
    w1.write_line(0, "p2\n");
    w0.set_cause(1, output::RecordKey::kPacket);
    w0.write_line(0, "p1\n");
    w0.set_cause(2, output::RecordKey::kTimeouts, 7);
    w0.write_line(0, "t2-origin7\n");
    w1.set_cause(2, output::RecordKey::kTimeouts, 3);  // not possible for the owner; order test only
    w1.write_line(0, "t2-origin3\n");
    out.publish(1, w1.take());
    out.publish(0, w0.take());
    out.drain(2);  // only packet 1 is done
    file.flush();
    EXPECT_EQ(read_file(path), "p1\n");
    out.drain_all();
    file.close();
  }
  EXPECT_EQ(read_file(path), "p1\nt2-origin3\nt2-origin7\np2\n");
  fs::remove(path);
}

}  // namespace
}  // namespace pasban::runtime
