#include "runtime/config.h"

#include <cstdio>
#include <charconv>
#include <fstream>
#include <sstream>

namespace pasban::runtime {

namespace {

// Parser messages may quote the offending bytes: show control and
// non-ASCII bytes as \xNN so a terminal or log gets text.
std::string printable_message(const std::string& msg) {
  std::string out;
  for (unsigned char c : msg) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(char(c));
    } else {
      char b[5];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    }
  }
  return out;
}

// An include chain deeper than this is a cycle or a mistake.
constexpr int kMaxIncludeDepth = 16;
// Sequence indexes in paths; far beyond any real config list.
constexpr size_t kMaxIndex = 1'000'000;

using core::Error;
using core::make_error;

// yaml-cpp nodes have reference semantics and Node::operator= writes
// through into the tree it points at. Everything below builds new nodes
// (functional updates) and rebinds handles only with reset().

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' ||
                        s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' ||
                        s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    out.emplace_back(path.substr(start, dot == std::string_view::npos
                                            ? std::string_view::npos
                                            : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

std::optional<size_t> parse_index(std::string_view s) {
  if (s.empty() || s.size() > 7) return std::nullopt;
  size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  if (v > kMaxIndex) return std::nullopt;
  return v;
}

std::string join_path(const std::vector<std::string>& comps, size_t n) {
  std::string out;
  for (size_t i = 0; i < n && i < comps.size(); ++i) {
    if (i) out += '.';
    out += comps[i];
  }
  return out;
}

YAML::Node make_null() { return YAML::Node(YAML::NodeType::Null); }
YAML::Node make_map() { return YAML::Node(YAML::NodeType::Map); }
YAML::Node make_seq() { return YAML::Node(YAML::NodeType::Sequence); }

bool is_nothing(const YAML::Node& n) { return !n.IsDefined() || n.IsNull(); }

std::string key_of(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : std::string();
}

// Finds the child `comp` of `node` (map key or sequence index).
bool find_child(const YAML::Node& node, std::string_view comp,
                YAML::Node& out) {
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == comp) {
        out.reset(it->second);
        return true;
      }
    }
    return false;
  }
  if (node.IsSequence()) {
    auto idx = parse_index(comp);
    if (!idx || *idx >= node.size()) return false;
    size_t i = 0;
    for (auto it = node.begin(); it != node.end(); ++it, ++i) {
      if (i == *idx) {
        out.reset(*it);
        return true;
      }
    }
  }
  return false;
}

bool lookup(const YAML::Node& root, std::string_view path, YAML::Node& out) {
  YAML::Node cur;
  cur.reset(root);
  for (const std::string& comp : split_path(path)) {
    YAML::Node next;
    if (!find_child(cur, comp, next)) return false;
    cur.reset(next);
  }
  out.reset(cur);
  return true;
}

// Returns `node` with the value at comps[i..] replaced by `value`; missing
// map keys are created, an index one past the end of a sequence appends.
core::Result<YAML::Node> with_path(const YAML::Node& node,
                                   const std::vector<std::string>& comps,
                                   size_t i, const YAML::Node& value) {
  if (i == comps.size()) return value;
  const std::string& comp = comps[i];
  if (node.IsMap()) {
    YAML::Node out = make_map();
    bool done = false;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!done && it->first.IsScalar() && it->first.Scalar() == comp) {
        auto child = with_path(it->second, comps, i + 1, value);
        if (!child.ok()) return child;
        out.force_insert(it->first, child.value());
        done = true;
      } else {
        out.force_insert(it->first, it->second);
      }
    }
    if (!done) {
      auto child = with_path(make_null(), comps, i + 1, value);
      if (!child.ok()) return child;
      out.force_insert(comp, child.value());
    }
    return out;
  }
  if (node.IsSequence()) {
    auto idx = parse_index(comp);
    if (!idx) {
      return make_error(join_path(comps, i) + ": is a sequence, '" + comp +
                        "' is not an index");
    }
    if (*idx > node.size()) {
      return make_error(join_path(comps, i + 1) + ": index out of range (" +
                        std::to_string(node.size()) + " items)");
    }
    YAML::Node out = make_seq();
    size_t j = 0;
    for (auto it = node.begin(); it != node.end(); ++it, ++j) {
      if (j == *idx) {
        auto child = with_path(*it, comps, i + 1, value);
        if (!child.ok()) return child;
        out.push_back(child.value());
      } else {
        out.push_back(*it);
      }
    }
    if (*idx == node.size()) {
      auto child = with_path(make_null(), comps, i + 1, value);
      if (!child.ok()) return child;
      out.push_back(child.value());
    }
    return out;
  }
  if (is_nothing(node)) {
    YAML::Node out = make_map();
    auto child = with_path(make_null(), comps, i + 1, value);
    if (!child.ok()) return child;
    out.force_insert(comp, child.value());
    return out;
  }
  // A plain sequence item such as `- ssh` in eve-log types names a section;
  // setting below it turns it into `- ssh: {...}`.
  if (node.IsScalar() && node.Scalar() == comp) {
    YAML::Node as_map = make_map();
    as_map.force_insert(comp, make_null());
    return with_path(as_map, comps, i, value);
  }
  return make_error(join_path(comps, i) + ": is a value, cannot hold '" +
                    comp + "'");
}

// Deep merge: maps merge per key, a null source keeps the destination,
// anything else in the source replaces.
YAML::Node merge_nodes(const YAML::Node& dst, const YAML::Node& src) {
  if (is_nothing(src)) return is_nothing(dst) ? src : dst;
  if (!dst.IsMap() || !src.IsMap()) return src;
  YAML::Node out = make_map();
  for (auto it = dst.begin(); it != dst.end(); ++it) {
    YAML::Node from_src;
    if (find_child(src, key_of(it->first), from_src)) {
      out.force_insert(it->first, merge_nodes(it->second, from_src));
    } else {
      out.force_insert(it->first, it->second);
    }
  }
  for (auto it = src.begin(); it != src.end(); ++it) {
    YAML::Node unused;
    if (!find_child(dst, key_of(it->first), unused)) {
      out.force_insert(it->first, it->second);
    }
  }
  return out;
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string resolve(const std::string& base_dir, const std::string& file) {
  if (!file.empty() && file.front() == '/') return file;
  return base_dir + "/" + file;
}

struct LoadContext {
  std::string name;      // file name for messages
  std::string base_dir;  // where relative includes resolve
  int depth = 0;
};

core::Result<YAML::Node> parse_text(std::string_view text,
                                    const LoadContext& ctx);

core::Result<YAML::Node> load_file(const std::string& path, int depth) {
  if (depth > kMaxIncludeDepth) {
    return make_error(path + ": includes nested deeper than " +
                      std::to_string(kMaxIncludeDepth));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot open file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return make_error(path + ": read error");
  return parse_text(buf.str(), LoadContext{path, dir_of(path), depth});
}

core::Result<YAML::Node> normalize(const YAML::Node& in,
                                   const LoadContext& ctx);

// `include: a.yaml` or `include: [a.yaml, b.yaml]`: the files' top-level
// keys are set into `target` at this point, replacing what is there.
core::Status apply_include(const YAML::Node& files, const LoadContext& ctx,
                           YAML::Node& target) {
  std::vector<std::string> names;
  if (files.IsScalar()) {
    names.push_back(files.Scalar());
  } else if (files.IsSequence()) {
    for (auto it = files.begin(); it != files.end(); ++it) {
      if (!it->IsScalar()) {
        return make_error(ctx.name + ": include: expected file names");
      }
      names.push_back(it->Scalar());
    }
  } else if (!is_nothing(files)) {
    return make_error(ctx.name + ": include: expected a file name or a list");
  }
  for (const std::string& name : names) {
    auto inc = load_file(resolve(ctx.base_dir, name), ctx.depth + 1);
    if (!inc.ok()) {
      return make_error(ctx.name + ": include '" + name +
                        "': " + inc.error().message);
    }
    const YAML::Node& tree = inc.value();
    if (is_nothing(tree)) continue;
    if (!tree.IsMap()) {
      return make_error(ctx.name + ": include '" + name +
                        "': top level is not a map");
    }
    for (auto it = tree.begin(); it != tree.end(); ++it) {
      auto next = with_path(target, {key_of(it->first)}, 0, it->second);
      if (!next.ok()) return make_error(ctx.name + ": " + next.error().message);
      target.reset(next.value());
    }
  }
  return core::Status::Ok();
}

core::Result<YAML::Node> normalize_map(const YAML::Node& in,
                                       const LoadContext& ctx) {
  YAML::Node out = make_map();
  for (auto it = in.begin(); it != in.end(); ++it) {
    if (!it->first.IsScalar()) {
      return make_error(ctx.name + ":" +
                        std::to_string(it->first.Mark().line + 1) +
                        ": a key must be a plain value");
    }
    const std::string key = it->first.Scalar();
    if (key == "include") {
      auto st = apply_include(it->second, ctx, out);
      if (!st.ok()) return st.error();
      continue;
    }
    auto value = normalize(it->second, ctx);
    if (!value.ok()) return value;
    // Suricata reads a dotted key as a path into the tree.
    std::vector<std::string> comps = split_path(key);
    for (const std::string& c : comps) {
      if (c.empty()) {
        comps = {key};
        break;
      }
    }
    auto next = with_path(out, comps, 0, value.value());
    if (!next.ok()) return make_error(ctx.name + ": " + next.error().message);
    out.reset(next.value());
  }
  return out;
}

// Copies a parsed document into a fresh tree with includes resolved,
// duplicate keys collapsed (last wins) and dotted keys expanded.
core::Result<YAML::Node> normalize(const YAML::Node& in,
                                   const LoadContext& ctx) {
  if (in.IsMap()) return normalize_map(in, ctx);
  if (in.IsSequence()) {
    YAML::Node out = make_seq();
    for (auto it = in.begin(); it != in.end(); ++it) {
      auto item = normalize(*it, ctx);
      if (!item.ok()) return item;
      out.push_back(item.value());
    }
    return out;
  }
  if (in.IsScalar()) {
    if (in.Tag() == "!include") {
      auto inc = load_file(resolve(ctx.base_dir, in.Scalar()), ctx.depth + 1);
      if (!inc.ok()) {
        return make_error(ctx.name + ": !include '" + in.Scalar() +
                          "': " + inc.error().message);
      }
      return inc;
    }
    return YAML::Node(in.Scalar());
  }
  return make_null();
}

core::Result<YAML::Node> parse_text(std::string_view text,
                                    const LoadContext& ctx) {
  // Suricata files open with "%YAML 1.1"; blank that line (keeping line
  // numbers) so a missing "---" after it or a strict parser cannot trip.
  std::string doc(text);
  if (doc.rfind("%YAML", 0) == 0) {
    size_t eol = doc.find('\n');
    doc.replace(0, eol == std::string::npos ? doc.size() : eol, "");
  }
  // A binary file (a NUL byte) is no configuration: say so instead of
  // echoing the parser's complaint about its bytes.
  if (size_t nul = doc.find('\0'); nul != std::string::npos)
    return make_error(ctx.name + ": not a YAML text file (binary data at byte " +
                      std::to_string(nul) + ")");
  YAML::Node parsed;
  try {
    parsed.reset(YAML::Load(doc));
  } catch (const YAML::Exception& e) {
    return make_error(ctx.name + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": " + printable_message(e.msg));
  }
  try {
    return normalize(parsed, ctx);
  } catch (const YAML::Exception& e) {
    return make_error(ctx.name + ": " + e.what());
  }
}

std::string scalar_or_empty(const YAML::Node& n) {
  return n.IsScalar() ? n.Scalar() : std::string();
}

// The name of a list entry written `- name` or `- name: {...}`.
std::string entry_name(const YAML::Node& item) {
  if (item.IsScalar()) return item.Scalar();
  if (item.IsMap() && item.size() > 0) return key_of(item.begin()->first);
  return {};
}

// The config of such an entry: its map, or an empty map.
YAML::Node entry_config(const YAML::Node& item) {
  if (item.IsMap() && item.size() > 0) {
    const YAML::Node value = item.begin()->second;
    if (value.IsMap()) return value;
  }
  return make_map();
}

void dump_node(const YAML::Node& node, const std::string& prefix,
               std::string& out);

void dump_child(const std::string& prefix, const std::string& name,
                const YAML::Node& child, bool in_sequence, std::string& out) {
  std::string path = prefix.empty() ? name : prefix + "." + name;
  std::string value = "(null)";
  if (child.IsScalar()) {
    value = child.Scalar();
  } else if (in_sequence && child.IsMap() && child.size() > 0) {
    // Suricata names a sequence item after its first key, '_' -> '-'.
    value = key_of(child.begin()->first);
    for (char& c : value)
      if (c == '_') c = '-';
  }
  out += path;
  out += " = ";
  out += value;
  out += '\n';
  dump_node(child, path, out);
}

void dump_node(const YAML::Node& node, const std::string& prefix,
               std::string& out) {
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      dump_child(prefix, key_of(it->first), it->second, false, out);
  } else if (node.IsSequence()) {
    size_t i = 0;
    for (auto it = node.begin(); it != node.end(); ++it, ++i)
      dump_child(prefix, std::to_string(i), *it, true, out);
  }
}

std::optional<int64_t> parse_int(std::string_view text) {
  std::string_view s = trim(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 10);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

// ---- value parsing ----

std::optional<bool> parse_bool(std::string_view text) {
  std::string_view s = trim(text);
  for (std::string_view t : {"1", "yes", "true", "on"})
    if (iequals(s, t)) return true;
  for (std::string_view f : {"0", "no", "false", "off"})
    if (iequals(s, f)) return false;
  return std::nullopt;
}

core::Result<uint64_t> parse_size(std::string_view text) {
  auto invalid = [&] {
    return make_error("invalid size '" + std::string(text) + "'");
  };
  std::string_view s = trim(text);
  size_t i = 0;
  long double value = 0;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    value = value * 10 + (s[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0) return invalid();
  if (i < s.size() && s[i] == '.') {
    ++i;
    long double scale = 0.1L;
    size_t frac = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
      ++frac;
    }
    if (frac == 0) return invalid();
  }
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  std::string_view unit = s.substr(i);
  long double mult = 1;
  if (unit.empty()) {
    mult = 1;
  } else if (iequals(unit, "kb") || iequals(unit, "kib")) {
    mult = 1024.0L;
  } else if (iequals(unit, "mb") || iequals(unit, "mib")) {
    mult = 1024.0L * 1024;
  } else if (iequals(unit, "gb") || iequals(unit, "gib")) {
    mult = 1024.0L * 1024 * 1024;
  } else {
    return invalid();
  }
  value *= mult;
  if (value >= 18446744073709551616.0L) return invalid();
  return static_cast<uint64_t>(value);
}

// ---- ConfigView ----

ConfigView::ConfigView() = default;

ConfigView::ConfigView(YAML::Node node, std::string path)
    : node_(node), path_(std::move(path)) {}

ConfigView::ConfigView(const ConfigView& other)
    : node_(other.node_), path_(other.path_) {}

ConfigView& ConfigView::operator=(const ConfigView& other) {
  node_.reset(other.node_);  // rebind, never write through
  path_ = other.path_;
  return *this;
}

std::string ConfigView::full_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.empty()) return path_;
  return path_ + "." + std::string(key);
}

bool ConfigView::has(std::string_view key) const {
  YAML::Node unused;
  return lookup(node_, key, unused);
}

YAML::Node ConfigView::get_node(std::string_view key) const {
  YAML::Node out;
  if (!lookup(node_, key, out)) return make_null();
  return out;
}

ConfigView ConfigView::view(std::string_view key) const {
  return ConfigView(get_node(key), full_path(key));
}

std::optional<std::string> ConfigView::get_string(std::string_view key) const {
  YAML::Node n;
  if (!lookup(node_, key, n) || !n.IsScalar()) return std::nullopt;
  return n.Scalar();
}

bool ConfigView::get_bool(std::string_view key, bool def) const {
  auto s = get_string(key);
  if (!s) return def;
  return parse_bool(*s).value_or(def);
}

core::Result<bool> ConfigView::get_bool_checked(std::string_view key,
                                                bool def) const {
  YAML::Node n;
  if (!lookup(node_, key, n) || is_nothing(n)) return def;
  if (n.IsScalar()) {
    if (auto b = parse_bool(n.Scalar())) return *b;
  }
  return make_error(full_path(key) + ": invalid boolean '" +
                    scalar_or_empty(n) + "'");
}

int64_t ConfigView::get_int(std::string_view key, int64_t def) const {
  auto s = get_string(key);
  if (!s) return def;
  return parse_int(*s).value_or(def);
}

core::Result<int64_t> ConfigView::get_int_checked(std::string_view key,
                                                  int64_t def) const {
  YAML::Node n;
  if (!lookup(node_, key, n) || is_nothing(n)) return def;
  if (n.IsScalar()) {
    if (auto v = parse_int(n.Scalar())) return *v;
  }
  return make_error(full_path(key) + ": invalid integer '" +
                    scalar_or_empty(n) + "'");
}

core::Result<uint64_t> ConfigView::get_size(std::string_view key,
                                            uint64_t def) const {
  YAML::Node n;
  if (!lookup(node_, key, n) || is_nothing(n)) return def;
  auto v = parse_size(scalar_or_empty(n));
  if (!v.ok() || !n.IsScalar()) {
    return make_error(full_path(key) + ": invalid size '" +
                      scalar_or_empty(n) + "'");
  }
  return v;
}

ConfigView ConfigView::eve_type(std::string_view type) const {
  const YAML::Node types = get_node("types");
  if (!types.IsSequence()) return {};
  size_t i = 0;
  for (auto it = types.begin(); it != types.end(); ++it, ++i) {
    if (entry_name(*it) == type) {
      return ConfigView(entry_config(*it),
                        full_path("types." + std::to_string(i) + "." +
                                  std::string(type)));
    }
  }
  return {};
}

// ---- Config ----

Config::Config() : root_(make_map()) {}

Config::Config(const Config& other) : root_(YAML::Clone(other.root_)) {}

Config& Config::operator=(const Config& other) {
  if (this != &other) root_.reset(YAML::Clone(other.root_));
  return *this;
}

// The moved-from config shares the tree; every update rebinds root_ to a
// new tree, so neither sees the other's later changes.
Config::Config(Config&& other) noexcept : root_(other.root_) {}

Config& Config::operator=(Config&& other) noexcept {
  root_.reset(other.root_);
  return *this;
}

core::Result<Config> Config::load_default() {
  Config config;
  auto st = config.merge_string(default_config_yaml(), ".", "<default config>");
  if (!st.ok()) return st.error();
  return config;
}

core::Status Config::merge_file(const std::string& path) {
  auto tree = load_file(path, 0);
  if (!tree.ok()) return tree.error();
  if (is_nothing(tree.value())) return core::Status::Ok();
  if (!tree.value().IsMap()) {
    return make_error(path + ": top level is not a map");
  }
  root_.reset(merge_nodes(root_, tree.value()));
  return core::Status::Ok();
}

core::Status Config::merge_string(std::string_view yaml,
                                  const std::string& base_dir,
                                  std::string_view name) {
  auto tree = parse_text(yaml, LoadContext{std::string(name), base_dir, 0});
  if (!tree.ok()) return tree.error();
  if (is_nothing(tree.value())) return core::Status::Ok();
  if (!tree.value().IsMap()) {
    return make_error(std::string(name) + ": top level is not a map");
  }
  root_.reset(merge_nodes(root_, tree.value()));
  return core::Status::Ok();
}

core::Status Config::set(std::string_view assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    return make_error("--set '" + std::string(assignment) +
                      "': expected key=value");
  }
  std::string key(trim(assignment.substr(0, eq)));
  std::string value(trim(assignment.substr(eq + 1)));
  std::vector<std::string> comps = split_path(key);
  for (const std::string& c : comps) {
    if (c.empty()) return make_error("--set '" + key + "': invalid key");
  }
  if (comps.empty()) return make_error("--set: empty key");
  auto next = with_path(root_, comps, 0, YAML::Node(value));
  if (!next.ok()) return make_error("--set " + next.error().message);
  root_.reset(next.value());
  return core::Status::Ok();
}

std::vector<ConfigView> Config::outputs(std::string_view name) const {
  std::vector<ConfigView> out;
  const YAML::Node list = get_node("outputs");
  if (!list.IsSequence()) return out;
  size_t i = 0;
  for (auto it = list.begin(); it != list.end(); ++it, ++i) {
    if (entry_name(*it) == name) {
      out.emplace_back(entry_config(*it), "outputs." + std::to_string(i) +
                                              "." + std::string(name));
    }
  }
  return out;
}

YAML::Node Config::output(std::string_view name) const {
  auto all = outputs(name);
  if (all.empty()) return make_null();
  return all.front().node();
}

YAML::Node Config::eve_type(std::string_view type) const {
  auto eves = outputs("eve-log");
  if (eves.empty()) return make_null();
  ConfigView v = eves.front().eve_type(type);
  if (!v.valid()) return make_null();
  return v.node();
}

std::string Config::dump() const {
  std::string out;
  dump_node(root_, "", out);
  return out;
}

}  // namespace pasban::runtime
