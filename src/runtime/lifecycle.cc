#include "runtime/lifecycle.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <ctime>
#include <map>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "runtime/version.h"

namespace pasban::runtime {
namespace {

constexpr size_t kMaxReportedRuleErrors = 20;  // on stderr per failed reload

std::string local_time_iso() {
  char buf[64];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf;
}

// A counter tree: "a.b.c" is node a, child b, leaf c.
struct CounterNode {
  bool has_value = false;
  uint64_t value = 0;
  std::map<std::string, CounterNode> kids;
};

void write_node(rapidjson::Writer<rapidjson::StringBuffer>& w, const CounterNode& n) {
  if (n.kids.empty()) {
    w.Uint64(n.value);
    return;
  }
  w.StartObject();
  // A name that is both a counter and a prefix of others keeps its value
  // as "total" beside them.
  if (n.has_value) {
    w.Key("total");
    w.Uint64(n.value);
  }
  for (const auto& [k, v] : n.kids) {
    w.Key(k.c_str());
    write_node(w, v);
  }
  w.EndObject();
}

std::string json_text(std::string_view s) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.String(s.data(), rapidjson::SizeType(s.size()));
  return b.GetString();
}

}  // namespace

std::string counters_to_json(const core::Counters& counters, int64_t uptime_s) {
  CounterNode root;
  for (core::Counters::Id id = 0; id < counters.size(); ++id) {
    CounterNode* n = &root;
    std::string_view name = counters.name(id);
    while (!name.empty()) {
      const size_t dot = name.find('.');
      n = &n->kids[std::string(name.substr(0, dot))];
      name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    }
    n->has_value = true;
    n->value = counters.get(id);
  }
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  w.Key("uptime");
  w.Int64(uptime_s);
  for (const auto& [k, v] : root.kids) {
    w.Key(k.c_str());
    write_node(w, v);
  }
  w.EndObject();
  return b.GetString();
}

Lifecycle::Lifecycle(WorkerPool& engine, LifecycleEvents& events, LifecycleOptions options)
    : engine_(engine), events_(events), options_(std::move(options)) {
  current_ = engine_.loaded_rules();
  if (current_) {
    status_.time = local_time_iso();
    status_.loaded = current_->stats.loaded;
    status_.failed = current_->stats.failed;
    status_.skipped = current_->stats.skipped;
    status_.failed_rules = current_->errors;
  }
  c_reloads_ = engine_.counters().id("pasban.detect.rule_reloads");
  c_reload_failures_ = engine_.counters().id("pasban.detect.rule_reload_failures");
  snapshot_counters();
}

Lifecycle::~Lifecycle() {
  engine_.set_packet_boundary(nullptr, {});
  if (socket_) socket_->stop();  // no more commands: none waits on us below
  std::thread builder;
  {
    std::lock_guard lock(mu_);
    builder = std::move(builder_);
    for (auto& t : tasks_) t->cancelled = true;
    tasks_.clear();
  }
  cv_.notify_all();
  if (builder.joinable()) builder.join();
}

void Lifecycle::attach() {
  engine_.set_packet_boundary(&events_.pending(), [this] { return on_boundary(); },
                              events_.wake_fd());
}

bool Lifecycle::on_boundary() {
  events_.drain_wake_fd();  // the bits say what to do; the fd only woke us
  if (events_.stop_requested()) {
    events_.take_stop();
    return false;
  }
  if (events_.take_reopen()) reopen_logs();
  if (events_.take_reload() && !start_reload())
    std::fprintf(stderr, "pasban: rule reload already in progress; SIGUSR2 ignored\n");
  if (events_.take_tasks()) run_tasks();
  return true;
}

void Lifecycle::reopen_logs() {
  std::string err;
  if (!engine_.reopen_outputs(err))
    std::fprintf(stderr, "pasban: log reopen failed: %s\n", err.c_str());
}

void Lifecycle::run_tasks() {
  std::deque<std::shared_ptr<Task>> tasks;
  {
    std::lock_guard lock(mu_);
    tasks.swap(tasks_);
  }
  for (auto& t : tasks) {
    {
      std::lock_guard lock(mu_);
      if (t->cancelled) continue;
    }
    t->fn();
    std::lock_guard lock(mu_);
    t->done = true;
  }
  cv_.notify_all();
}

std::shared_ptr<Lifecycle::Task> Lifecycle::post_task(std::function<void()> fn) {
  auto task = std::make_shared<Task>();
  task->fn = std::move(fn);
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(task);
  }
  events_.raise(LifecycleEvents::kTasks);
  return task;
}

bool Lifecycle::run_on_packet_thread(std::function<void()> fn, std::chrono::milliseconds wait) {
  auto task = post_task(std::move(fn));
  std::unique_lock lock(mu_);
  if (cv_.wait_for(lock, wait, [&] { return task->done; })) return true;
  task->cancelled = true;
  return false;
}

void Lifecycle::snapshot_counters() {
  const int64_t up = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::steady_clock::now() - started_).count();
  std::string json = counters_to_json(engine_.counters_snapshot(), up);
  std::lock_guard lock(mu_);
  counters_snapshot_ = std::move(json);
}

std::string Lifecycle::counters_json() {
  // Idle offline input keeps the packet thread in a read: the answer is
  // then the last snapshot (Suricata's counters are periodic snapshots too).
  run_on_packet_thread([this] { snapshot_counters(); }, options_.packet_thread_wait);
  std::lock_guard lock(mu_);
  return counters_snapshot_;
}

bool Lifecycle::start_reload() {
  std::thread previous;
  std::shared_ptr<const LoadedRules> seed;
  {
    std::lock_guard lock(mu_);
    if (building_) return false;
    building_ = true;
    ++reloads_started_;
    previous = std::move(builder_);
    seed = current_;
  }
  if (previous.joinable()) previous.join();  // it finished: building_ was false
  // The builder must not take the process's signals (they are the packet
  // thread's, to interrupt its read).
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  std::thread t([this, seed] {
    std::shared_ptr<LoadedRules> built =
        load_rules(engine_.rule_recipe(), seed && seed->rules ? &seed->rules->var_names() : nullptr);
    {
      std::lock_guard lock(mu_);
      ++reloads_built_;
      last_build_error_ = built->unusable_reason;
    }
    cv_.notify_all();
    post_task([this, built] { finish_reload(built); });
  });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  std::lock_guard lock(mu_);
  builder_ = std::move(t);
  return true;
}

void Lifecycle::finish_reload(std::shared_ptr<LoadedRules> built) {
  const bool usable = built->unusable_reason.empty();
  if (usable) {
    engine_.swap_rules(built);
    engine_.counters().add(c_reloads_);
    std::fprintf(stderr, "pasban: rules reloaded: %zu loaded, %zu failed, %zu skipped (%.3f s)\n",
                 built->stats.loaded, built->stats.failed, built->stats.skipped, built->seconds);
  } else {
    engine_.counters().add(c_reload_failures_);
    std::fprintf(stderr, "pasban: rule reload refused, the running rules stay: %s\n",
                 built->unusable_reason.c_str());
  }
  for (size_t i = 0; i < built->errors.size() && i < kMaxReportedRuleErrors; ++i)
    std::fprintf(stderr, "pasban: error: %s\n", built->errors[i].c_str());
  {
    std::lock_guard lock(mu_);
    building_ = false;
    ++reloads_finished_;
    status_.ok = usable;
    status_.error = built->unusable_reason;
    if (usable) {
      current_ = built;
      status_.time = local_time_iso();
      status_.loaded = built->stats.loaded;
      status_.failed = built->stats.failed;
      status_.skipped = built->stats.skipped;
      status_.failed_rules = built->errors;
    }
  }
  cv_.notify_all();
}

core::Status Lifecycle::reload_and_wait() {
  if (!start_reload()) return core::make_error("Reload already in progress");
  std::unique_lock lock(mu_);
  const uint64_t target = reloads_started_;
  if (!cv_.wait_for(lock, options_.reload_build_limit, [&] { return reloads_built_ >= target; }))
    return core::make_error("rule set still building after " +
                            std::to_string(options_.reload_build_limit.count() / 1000) + " s");
  if (!last_build_error_.empty()) return core::make_error(last_build_error_);
  // Built and handed over: the packet thread swaps it in before it
  // inspects its next packet. Wait a moment for that when traffic flows.
  cv_.wait_for(lock, options_.packet_thread_wait, [&] { return reloads_finished_ >= target; });
  return {};
}

ReloadStatus Lifecycle::reload_status() const {
  std::lock_guard lock(mu_);
  return status_;
}

core::Status Lifecycle::open_control_socket(const std::string& path) {
  auto s = ControlSocket::open(path);
  if (!s) return s.error();
  socket_ = std::move(*s);
  register_commands(*socket_);
  socket_->start();
  return {};
}

void Lifecycle::register_commands(ControlSocket& s) {
  s.add("version", [](const rapidjson::Value*) {
    return CommandReply::text(std::string(kSuricataCompatVersion) + " RELEASE (" + kProductName +
                              " " + kPasbanVersion + ")");
  });
  s.add("uptime", [this](const rapidjson::Value*) {
    return CommandReply::json(std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                 std::chrono::steady_clock::now() - started_)
                                                 .count()));
  });
  s.add("running-mode", [this](const rapidjson::Value*) { return CommandReply::text(options_.run_mode); });
  s.add("capture-mode", [this](const rapidjson::Value*) { return CommandReply::text(options_.capture_mode); });
  s.add("shutdown", [this](const rapidjson::Value*) {
    events_.request_stop();
    if (stop_waker_) stop_waker_();
    return CommandReply::text("Closing Suricata");
  });
  s.add("reload-rules", [this](const rapidjson::Value*) {
    auto st = reload_and_wait();
    return st.ok() ? CommandReply::text("done") : CommandReply::error(st.error().message);
  });
  s.add("ruleset-reload-rules", [this](const rapidjson::Value*) {
    auto st = reload_and_wait();
    return st.ok() ? CommandReply::text("done") : CommandReply::error(st.error().message);
  });
  s.add("ruleset-reload-nonblocking", [this](const rapidjson::Value*) {
    return start_reload() ? CommandReply::text("done")
                          : CommandReply::error("Reload already in progress");
  });
  s.add("ruleset-reload-time", [this](const rapidjson::Value*) {
    const ReloadStatus st = reload_status();
    return CommandReply::json(R"([{"id":0,"last_reload":)" + json_text(st.time) + "}]");
  });
  s.add("ruleset-stats", [this](const rapidjson::Value*) {
    const ReloadStatus st = reload_status();
    return CommandReply::json(R"([{"id":0,"rules_loaded":)" + std::to_string(st.loaded) +
                              R"(,"rules_failed":)" + std::to_string(st.failed) +
                              R"(,"rules_skipped":)" + std::to_string(st.skipped) + "}]");
  });
  s.add("ruleset-failed-rules", [this](const rapidjson::Value*) {
    const ReloadStatus st = reload_status();
    std::string out = "[";
    for (size_t i = 0; i < st.failed_rules.size(); ++i)
      out += (i ? "," : "") + std::string(R"({"tenant_id":0,"error":)") + json_text(st.failed_rules[i]) + "}";
    return CommandReply::json(out + "]");
  });
  s.add("dump-counters", [this](const rapidjson::Value*) { return CommandReply::json(counters_json()); });
  s.add("reopen-log-files", [this](const rapidjson::Value*) {
    events_.raise(LifecycleEvents::kReopen);
    return CommandReply::text("done");
  });
}

}  // namespace pasban::runtime
