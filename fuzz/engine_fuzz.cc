// libFuzzer target for the whole packet path through runtime::Engine:
// decode (tunnels included) -> defrag -> flow -> TCP stream -> app-layer
// detection and parsers -> detection with a small rule set that touches
// every stage (raw stream, HTTP/DNS/TLS/SMTP buffers, files, flowbits,
// thresholds, tags, IPS drop/reject/pass) -> EVE and fast.log written to
// /dev/null.
//
// Input: one mode byte, then frames.
//   mode bit 0      the inline (IPS) engine instead of the passive one
//   mode bit 1      stream.midstream on (mutated flows without handshake
//                   still reach the parsers)
//   mode bits 2-4   the link type (kLinkTypes)
//   frame           2-byte big-endian length, 1 byte time step (bit 7:
//                   seconds, else milliseconds, in bits 0-6), the bytes
// fuzz/make_seeds.py turns tools/pcapgen captures into this format.
//
// One engine per mode lives across inputs (loading rules costs far more
// than an input). Each input starts two hours after the previous one
// ended, so the first packet's flow sweep ends every flow of the previous
// input (through the same end-of-flow logging and inspection as a
// timeout) and inputs do not see each other's flows. Checksums are not
// verified (-k none) so mutated packets get past the decoder.
// Crashes, sanitizer reports and leaks are the findings.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "runtime/config.h"
#include "runtime/engine.h"

using namespace pasban;

namespace {

constexpr int kLinkTypes[8] = {1, 101, 113, 0, 228, 229, 276, 12};
constexpr int64_t kInputSpacingSec = 7200;  // longer than any flow timeout

// Every line must load: a rule the engine rejects stops the target at
// start-up, so the rule set cannot rot silently.
constexpr const char* kRules = R"rules(
alert tcp any any -> any any (msg:"raw stream content"; flow:established; content:"EVIL"; nocase; sid:1;)
alert tcp any any -> any any (msg:"pcre on the stream"; pcre:"/user=(?P<pkt_user>[a-z]+)/i"; sid:2;)
alert http any any -> any any (msg:"uri"; http.uri; content:"/admin"; sid:3;)
alert http any any -> any any (msg:"host and ua set a flowbit"; http.host; content:"evil"; http.user_agent; content:"curl"; flowbits:set,ua; sid:4;)
alert http any any -> any any (msg:"response after the flowbit"; flow:to_client; flowbits:isset,ua; http.stat_code; content:"200"; sid:5;)
alert http any any -> any any (msg:"file data"; file.data; content:"MZ"; startswith; sid:6;)
alert http any any -> any any (msg:"file name and ext"; fileext:"exe"; sid:7;)
alert http any any -> any any (msg:"request header"; http.request_header; content:"Cookie|3a 20|"; startswith; sid:8;)
alert http any any -> any any (msg:"uri length"; urilen:>64; sid:9;)
alert dns any any -> any any (msg:"dns query"; dns.query; content:"example"; sid:10;)
alert dns any any -> any any (msg:"dns answer"; dns.answer.name; content:"evil"; sid:11;)
alert tls any any -> any any (msg:"sni"; tls.sni; content:"example"; sid:12;)
alert tls any any -> any any (msg:"cert subject"; tls.cert_subject; content:"CN="; sid:13;)
alert smtp any any -> any any (msg:"mail from"; smtp.mail_from; content:"@"; sid:14;)
alert smtp any any -> any any (msg:"subject"; email.subject; content:"invoice"; nocase; sid:15;)
alert smtp any any -> any any (msg:"attachment"; file.data; content:"MARKER"; sid:16;)
alert tcp any any -> any any (msg:"byte_test"; dsize:>4; byte_test:2,>,1000,0; sid:17;)
alert udp any any -> any any (msg:"byte_jump"; byte_jump:1,0; content:"A"; within:4; sid:18;)
alert tcp any any -> any any (msg:"base64"; content:"b64:"; base64_decode:relative; base64_data; content:"evil"; sid:19;)
alert tcp any any -> any any (msg:"isdataat"; content:"GET"; isdataat:!10,relative; sid:20;)
alert ipv4 any any -> any any (msg:"overlap"; decode-event:ipv4.frag_overlap; sid:21;)
alert tcp any any -> any any (msg:"syn limited"; flags:S; threshold:type limit, track by_src, count 1, seconds 60; sid:22;)
alert tcp any any -> any any (msg:"tag the session"; content:"TAGME"; tag:session,10,packets; sid:23;)
alert icmp any any -> any any (msg:"echo"; itype:8; sid:24;)
alert ip 10.66.66.66 any -> any any (msg:"ip-only"; sid:25;)
alert http any any -> any any (msg:"auth anomaly"; app-layer-event:http.request_auth_unrecognized; sid:26;)
alert tcp any any -> any any (msg:"stream size"; stream_size:client,>,1000; sid:27;)
alert http any any -> any any (msg:"xbits"; http.uri; content:"/x"; xbits:set,seen,track ip_src; sid:28;)
alert tcp any any -> any any (msg:"flowint"; content:"CNT"; flowint:cnt,+,1; sid:29;)
drop tcp any any -> any any (msg:"drop"; content:"DROPME"; sid:30;)
reject tcp any any -> any any (msg:"reject"; content:"REJECTME"; sid:31;)
pass tcp any any -> any 8080 (msg:"pass"; flow:established; sid:32;)
drop http any any -> any any (msg:"drop a method"; http.method; content:"DELETE"; sid:33;)
)rules";

// One worker's engine with the run's shared part and the buffer its
// records go to (emptied after every input).
struct Worker {
  std::unique_ptr<runtime::EngineShared> shared;
  output::RecordBuffer sink;
  std::unique_ptr<runtime::Engine> engine;
};

struct Engines {
  std::unique_ptr<Worker> by_mode[4];  // [ips | midstream << 1]
};

std::unique_ptr<Worker> make_engine(const std::string& dir, bool ips, bool midstream) {
  auto config = runtime::Config::load_default();
  if (!config.ok()) {
    std::fprintf(stderr, "engine_fuzz: default config: %s\n", config.error().message.c_str());
    std::abort();
  }
  const std::string sets[] = {"outputs.0.fast.filename=/dev/null",
                              "outputs.1.eve-log.filename=/dev/null",
                              std::string("stream.midstream=") + (midstream ? "true" : "false")};
  for (const std::string& set : sets) {
    if (auto st = config->set(set); !st.ok()) {
      std::fprintf(stderr, "engine_fuzz: --set %s: %s\n", set.c_str(), st.error().message.c_str());
      std::abort();
    }
  }
  runtime::CliOptions cli;
  cli.exclusive_rules = {dir + "/fuzz.rules"};
  cli.log_dir = dir;
  cli.checksum_mode = "none";
  cli.simulate_ips = ips;
  std::vector<std::string> errors, warnings;
  auto w = std::make_unique<Worker>();
  auto shared = runtime::EngineShared::create(*config, cli, errors, warnings);
  if (!shared.ok() || !errors.empty()) {
    std::fprintf(stderr, "engine_fuzz: engine: %s\n",
                 shared.ok() ? "" : shared.error().message.c_str());
    for (const auto& e : errors) std::fprintf(stderr, "  %s\n", e.c_str());
    std::abort();
  }
  w->shared = std::move(*shared);
  auto engine = runtime::Engine::create(*w->shared, &w->sink, nullptr);
  if (!engine.ok()) {
    std::fprintf(stderr, "engine_fuzz: engine: %s\n", engine.error().message.c_str());
    std::abort();
  }
  w->engine = std::move(*engine);
  return w;
}

Engines& engines() {
  static Engines* all = [] {
    // The rule file only has to exist while the engines load.
    char dir[] = "/tmp/pasban-engine-fuzz-XXXXXX";
    if (!mkdtemp(dir)) {
      std::perror("engine_fuzz: mkdtemp");
      std::abort();
    }
    const std::string rules = std::string(dir) + "/fuzz.rules";
    std::ofstream(rules) << kRules;
    auto* e = new Engines;
    for (int m = 0; m < 4; ++m) e->by_mode[m] = make_engine(dir, m & 1, m & 2);
    std::remove(rules.c_str());
    if (rmdir(dir) != 0) std::perror("engine_fuzz: rmdir (the engine wrote into its log dir)");
    return e;
  }();
  return *all;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)engines();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static int64_t next_start = 1767225600;  // 2026-01-01
  const uint8_t mode = data[0];
  Worker& worker = *engines().by_mode[mode & 3];
  runtime::Engine& engine = *worker.engine;
  const int linktype = kLinkTypes[(mode >> 2) & 7];
  core::Timestamp ts{next_start, 0};
  size_t i = 1;
  while (i + 3 <= size) {
    const size_t want = size_t(data[i]) << 8 | data[i + 1];
    const uint8_t step = data[i + 2];
    i += 3;
    const size_t len = want < size - i ? want : size - i;
    if (step & 0x80) {
      ts.sec += step & 0x7f;
    } else if ((ts.usec += int32_t(step) * 1000) >= 1000000) {
      ts.usec -= 1000000;
      ++ts.sec;
    }
    (void)engine.process(linktype, ts, core::Bytes(data + i, len));
    i += len;
  }
  next_start = ts.sec + kInputSpacingSec;
  (void)worker.sink.take();  // the records were written; drop them
  return 0;
}
