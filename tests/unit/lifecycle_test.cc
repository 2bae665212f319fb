// The process lifecycle pieces: lifecycle events (signals as bits), the pid
// file, log reopen for rotation, the control socket's protocol (handshake,
// commands, garbage, oversize, several clients), the dump-counters shape,
// and a rule reload's id stability and per-rule state remap.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "core/counters.h"
#include "core/file.h"
#include "detect/build/rule_set.h"
#include "detect/eval/detector.h"
#include "detect/threshold/threshold_state.h"
#include "output/log_file.h"
#include "runtime/control_socket.h"
#include "runtime/lifecycle.h"
#include "runtime/pidfile.h"
#include "runtime/signals.h"

namespace pasban::runtime {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("pasban-lifecycle-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& path) {
  std::string s;
  core::read_whole_file(path, s);
  return s;
}

// ------------------------------------------------------------ events

TEST(LifecycleEvents, BitsAreTakenOnce) {
  LifecycleEvents ev;
  EXPECT_FALSE(ev.any());
  ev.raise(LifecycleEvents::kReopen);
  ev.raise(LifecycleEvents::kReload);
  EXPECT_TRUE(ev.any());
  EXPECT_TRUE(ev.take_reopen());
  EXPECT_FALSE(ev.take_reopen());
  EXPECT_TRUE(ev.take_reload());
  EXPECT_FALSE(ev.any());
  ev.drain_wake_fd();
}

TEST(LifecycleEvents, SignalsSetBitsAndWakeThePollFd) {
  LifecycleEvents ev;
  ASSERT_TRUE(ev.install_handlers());
  ASSERT_EQ(::raise(SIGHUP), 0);
  ASSERT_EQ(::raise(SIGUSR2), 0);
  EXPECT_TRUE(ev.take_reopen());
  EXPECT_TRUE(ev.take_reload());
  uint64_t v = 0;
  EXPECT_EQ(::read(ev.wake_fd(), &v, sizeof v), ssize_t(sizeof v));
  EXPECT_GE(v, 2u);
  ASSERT_EQ(::raise(SIGTERM), 0);
  EXPECT_TRUE(ev.stop_requested());
  EXPECT_TRUE(ev.take_stop());
  EXPECT_TRUE(ev.stop_requested());  // stays visible
  ASSERT_EQ(::raise(SIGPIPE), 0);    // ignored: the test process lives on
}

// ------------------------------------------------------------ pid file

TEST(PidFile, WritesAndRemovesItsPid) {
  TempDir d;
  const std::string path = d.file("pasban.pid");
  {
    PidFile p;
    ASSERT_TRUE(p.create(path).ok());
    EXPECT_EQ(PidFile::parse_pid(slurp(path)), long(::getpid()));
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(PidFile, RefusesALiveProcessAndReplacesAStaleOne) {
  TempDir d;
  const std::string path = d.file("pasban.pid");
  // pid 1 is always alive.
  std::ofstream(path) << "1\n";
  PidFile p;
  auto st = p.create(path);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("process 1 is running"), std::string::npos);
  EXPECT_TRUE(fs::exists(path));  // not ours: left alone
  // A child that has exited and been reaped names no process.
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  std::ofstream(path) << child << "\n";
  EXPECT_TRUE(p.create(path).ok());
  EXPECT_EQ(PidFile::parse_pid(slurp(path)), long(::getpid()));
  std::ofstream(path) << "garbage\n";
  EXPECT_TRUE(p.create(path).ok());
}

TEST(PidFile, ParsesOnlyDigits) {
  EXPECT_EQ(PidFile::parse_pid("123\n"), 123);
  EXPECT_EQ(PidFile::parse_pid(""), 0);
  EXPECT_EQ(PidFile::parse_pid("12a"), 0);
  EXPECT_EQ(PidFile::parse_pid("99999999999999"), 0);
}

TEST(PidFile, UnwritablePathIsAClearError) {
  PidFile p;
  auto st = p.create("/nonexistent-dir/pasban.pid");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("/nonexistent-dir/pasban.pid"), std::string::npos);
}

// ------------------------------------------------------------ log reopen

TEST(LogFile, ReopenAfterRenameLosesAndRepeatsNothing) {
  TempDir d;
  const std::string path = d.file("eve.json");
  output::LogFile f;
  ASSERT_TRUE(f.open(path));
  f.write("one\n");
  f.write("two\n");  // still buffered when the file is renamed
  fs::rename(path, path + ".1");
  ASSERT_TRUE(f.reopen());
  f.write("three\n");
  f.close();
  EXPECT_EQ(slurp(path + ".1"), "one\ntwo\n");
  EXPECT_EQ(slurp(path), "three\n");
}

TEST(LogFile, ReopenOfAClosedFileDoesNothing) {
  output::LogFile f;
  EXPECT_TRUE(f.reopen());
  EXPECT_FALSE(f.is_open());
}

// ------------------------------------------------------------ JSON framing

TEST(ControlSocketFraming, SplitsCompleteMessages) {
  size_t used = 0;
  std::string err;
  EXPECT_EQ(next_json_message(R"(  {"a": 1}{"b": 2})", used, err), 1);
  EXPECT_EQ(used, 10u);
  EXPECT_EQ(next_json_message(R"({"a": )", used, err), 0);
  EXPECT_EQ(next_json_message("   \n", used, err), 0);
  EXPECT_EQ(next_json_message("}garbage", used, err), -1);
  EXPECT_FALSE(err.empty());
}

// ------------------------------------------------------------ the server

class Client {
 public:
  explicit Client(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& s) { ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), ssize_t(s.size())); }
  // One answer line ("" on EOF or timeout).
  std::string line() {
    for (;;) {
      if (auto nl = buf_.find('\n'); nl != std::string::npos) {
        std::string l = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return l;
      }
      char b[4096];
      const ssize_t n = ::recv(fd_, b, sizeof b, 0);
      if (n <= 0) return "";
      buf_.append(b, size_t(n));
    }
  }
  std::string ask(const std::string& s) {
    send(s);
    return line();
  }
  bool closed_by_server() {
    char b;
    return ::recv(fd_, &b, 1, 0) == 0;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

class ControlSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("ctl.sock");
    auto s = ControlSocket::open(path_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    server_ = std::move(*s);
    server_->add("echo", [](const rapidjson::Value* args) {
      if (!args || !args->HasMember("text") || !(*args)["text"].IsString())
        return CommandReply::error("echo needs a text argument");
      return CommandReply::text((*args)["text"].GetString());
    });
    server_->add("number", [](const rapidjson::Value*) { return CommandReply::json("42"); });
    server_->start();
  }
  TempDir dir_;
  std::string path_;
  std::unique_ptr<ControlSocket> server_;
};

TEST_F(ControlSocketTest, HandshakeThenCommands) {
  Client c(path_);
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.ask(R"({"version": "0.2"})"), R"({"return":"OK"})");
  EXPECT_EQ(c.ask(R"({"command": "number"})"), R"({"return":"OK","message":42})");
  EXPECT_EQ(c.ask(R"({"command": "echo", "arguments": {"text": "hi"}})"),
            R"({"return":"OK","message":"hi"})");
  EXPECT_EQ(c.ask(R"({"command": "echo"})"),
            R"({"return":"NOK","message":"echo needs a text argument"})");
  EXPECT_EQ(c.ask(R"({"command": "nope"})"), R"({"return":"NOK","message":"Unknown command 'nope'"})");
  EXPECT_EQ(c.ask(R"({"command": 7})"), R"({"return":"NOK","message":"request has no \"command\" string"})");
  const std::string list = c.ask(R"({"command": "command-list"})");
  EXPECT_NE(list.find(R"("commands":["command-list","help","echo","number"])"), std::string::npos) << list;
  // Two requests in one write, and one split over two writes.
  c.send(R"({"command": "number"}{"command": "number"})");
  EXPECT_EQ(c.line(), R"({"return":"OK","message":42})");
  EXPECT_EQ(c.line(), R"({"return":"OK","message":42})");
  c.send(R"({"command": )");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(c.ask(R"("number"})"), R"({"return":"OK","message":42})");
}

TEST_F(ControlSocketTest, CommandBeforeHandshakeIsRefused) {
  Client c(path_);
  EXPECT_EQ(c.ask(R"({"command": "number"})").find(R"({"return":"NOK")"), 0u);
  EXPECT_TRUE(c.closed_by_server());
  Client d(path_);
  EXPECT_EQ(d.ask(R"({"version": "9.9"})").find(R"({"return":"NOK")"), 0u);
}

TEST_F(ControlSocketTest, GarbageAndOversizeAreAnsweredAndTheServerLivesOn) {
  {
    Client c(path_);
    c.ask(R"({"version": "0.2"})");
    EXPECT_EQ(c.ask("}}not json{{").find(R"({"return":"NOK","message":"invalid JSON)"), 0u);
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    Client c(path_);
    c.ask(R"({"version": "0.2"})");
    EXPECT_EQ(c.ask(std::string("\x00\xff\x01", 3)).find(R"({"return":"NOK")"), 0u);
  }
  {
    Client c(path_);
    c.ask(R"({"version": "0.2"})");
    // An unterminated string larger than the limit.
    std::string big = R"({"command": ")" + std::string(ControlSocket::kMaxMessageBytes + 10, 'a');
    EXPECT_NE(c.ask(big).find("message larger than"), std::string::npos);
  }
  {
    Client c(path_);
    c.ask(R"({"version": "0.2"})");
    EXPECT_EQ(c.ask("[1,2,3]").find(R"({"return":"NOK")"), 0u);
  }
  Client ok(path_);
  EXPECT_EQ(ok.ask(R"({"version": "0.2"})"), R"({"return":"OK"})");
  EXPECT_EQ(ok.ask(R"({"command": "number"})"), R"({"return":"OK","message":42})");
}

TEST_F(ControlSocketTest, SeveralClientsAtOnce) {
  Client a(path_), b(path_);
  EXPECT_EQ(a.ask(R"({"version": "0.2"})"), R"({"return":"OK"})");
  EXPECT_EQ(b.ask(R"({"version": "0.2"})"), R"({"return":"OK"})");
  EXPECT_EQ(b.ask(R"({"command": "number"})"), R"({"return":"OK","message":42})");
  EXPECT_EQ(a.ask(R"({"command": "number"})"), R"({"return":"OK","message":42})");
}

TEST_F(ControlSocketTest, ASecondServerOnALiveSocketIsRefused) {
  auto again = ControlSocket::open(path_);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("in use"), std::string::npos);
  server_->stop();
  EXPECT_FALSE(fs::exists(path_));
  auto after = ControlSocket::open(path_);  // free again
  EXPECT_TRUE(after.ok());
}

TEST(ControlSocketOpen, TooLongPathIsAClearError) {
  auto s = ControlSocket::open("/tmp/" + std::string(200, 'x'));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("longer than"), std::string::npos);
}

// ------------------------------------------------------------ counters

TEST(DumpCounters, NestsDottedNames) {
  core::Counters c;
  c.add(c.id("decoder.pkts"), 3);
  c.add(c.id("decoder.ipv4"), 2);
  c.add(c.id("flow.tcp"), 1);
  EXPECT_EQ(counters_to_json(c, 7),
            R"({"uptime":7,"decoder":{"ipv4":2,"pkts":3},"flow":{"tcp":1}})");
}

// ------------------------------------------------------------ rule reload

std::shared_ptr<detect::build::RuleSet> load_text(const TempDir& d, const std::string& name,
                                                  const std::string& text,
                                                  const detect::VarNames* seed = nullptr) {
  const std::string path = d.file(name);
  std::ofstream(path) << text;
  detect::build::RuleSetOptions o;
  o.seed_names = seed;
  std::vector<detect::build::LoadError> errors;
  detect::build::LoadStats stats;
  auto rs = detect::build::RuleSet::load({path}, o, errors, stats);
  EXPECT_TRUE(errors.empty()) << errors.front().format();
  return rs;
}

TEST(RuleReload, SeededNamesKeepTheirIds) {
  TempDir d;
  auto first = load_text(d, "a.rules",
                         "alert tcp any any -> any any (msg:\"a\"; flowbits:set,alpha; sid:1;)\n"
                         "alert tcp any any -> any any (msg:\"b\"; flowbits:set,beta; "
                         "flowint:count,+,1; sid:2;)\n");
  uint32_t alpha = 0, beta = 0;
  ASSERT_TRUE(first->var_names().find(detect::VarKind::kFlowbit, "alpha", alpha));
  ASSERT_TRUE(first->var_names().find(detect::VarKind::kFlowbit, "beta", beta));
  // The new file names beta first and adds gamma.
  auto second = load_text(d, "b.rules",
                          "alert tcp any any -> any any (msg:\"c\"; flowbits:isset,gamma; sid:3;)\n"
                          "alert tcp any any -> any any (msg:\"d\"; flowbits:isset,beta; sid:4;)\n",
                          &first->var_names());
  uint32_t id = 0;
  ASSERT_TRUE(second->var_names().find(detect::VarKind::kFlowbit, "beta", id));
  EXPECT_EQ(id, beta);
  ASSERT_TRUE(second->var_names().find(detect::VarKind::kFlowbit, "alpha", id));
  EXPECT_EQ(id, alpha);
  ASSERT_TRUE(second->var_names().find(detect::VarKind::kFlowbit, "gamma", id));
  EXPECT_EQ(id, 2u);
  EXPECT_EQ(second->flowbit_count(), 3u);
  EXPECT_EQ(second->flowbit_name(id), "gamma");
  ASSERT_TRUE(second->var_names().find(detect::VarKind::kFlowint, "count", id));
  EXPECT_EQ(id, 0u);
}

TEST(RuleReload, SwapMapsOldRuleIndexesBySidAndGid) {
  TempDir d;
  auto first = load_text(d, "a.rules",
                         "alert udp any any -> any any (msg:\"x\"; content:\"X\"; sid:10;)\n"
                         "alert udp any any -> any any (msg:\"y\"; content:\"Y\"; sid:11;)\n"
                         "pass udp any any -> any any (msg:\"z\"; content:\"Z\"; sid:12;)\n");
  // sid 11 is gone, 13 is new, and the pass rule still sorts first.
  auto second = load_text(d, "b.rules",
                          "alert udp any any -> any any (msg:\"w\"; content:\"W\"; sid:13;)\n"
                          "pass udp any any -> any any (msg:\"z\"; content:\"Z\"; sid:12;)\n"
                          "alert udp any any -> any any (msg:\"x\"; content:\"X2\"; sid:10;)\n",
                          &first->var_names());
  core::Counters counters;
  detect::eval::Detector det(first, {}, counters, nullptr);
  auto sid_at = [](const detect::build::RuleSet& rs, uint32_t i) { return rs.rules()[i].sid; };
  const std::vector<uint32_t> map = det.swap_rules(second, nullptr);
  ASSERT_EQ(map.size(), 3u);
  for (uint32_t i = 0; i < map.size(); ++i) {
    const uint32_t sid = sid_at(*first, i);
    if (sid == 11) {
      EXPECT_EQ(map[i], detect::eval::Detector::kGoneRule);
    } else {
      ASSERT_NE(map[i], detect::eval::Detector::kGoneRule);
      EXPECT_EQ(sid_at(*second, map[i]), sid);
    }
  }
  EXPECT_EQ(&det.rules(), second.get());
}

TEST(RuleReload, ThresholdCountersFollowTheirRule) {
  using detect::threshold::ThresholdSpec;
  using detect::threshold::ThresholdTracker;
  ThresholdTracker t(1024);
  ThresholdSpec limit;
  limit.type = ThresholdSpec::kLimit;
  limit.track = ThresholdSpec::kByRule;
  limit.count = 1;
  limit.seconds = 60;
  const core::IpAddress a, b;
  core::Timestamp ts;
  ts.sec = 100;
  EXPECT_TRUE(t.check(limit, 5, a, b, 0, ts).alert());
  EXPECT_TRUE(t.check(limit, 6, a, b, 0, ts).alert());
  // Rule 5 is now 0; rule 6 is gone.
  std::vector<uint32_t> map(7, ThresholdTracker::kGoneRule);
  map[5] = 0;
  t.remap_rules(map);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_FALSE(t.check(limit, 0, a, b, 0, ts).alert());  // limit reached before the reload
  EXPECT_TRUE(t.check(limit, 1, a, b, 0, ts).alert());
}

}  // namespace
}  // namespace pasban::runtime
