// Configuration: Suricata's YAML tree, --set overrides and typed getters.
//
// The tree starts as Pasban's built-in default (the stock suricata.yaml
// values, default_config_yaml()) and files are deep-merged over it: maps
// merge key by key, scalars and sequences replace (a file's `outputs:`
// list replaces the default list whole), and a null value (`dns:` with
// nothing after it) keeps what is already there, since in Suricata an
// empty key means "use the built-in default".
//
// Inside one file Suricata's loader rules apply: a key given twice keeps
// the last one, a dotted key (`vars.address-groups.HOME_NET: ...`) sets a
// nested value, `include: file` (or a list of files) pulls a file's keys
// into the enclosing map at that point, and `key: !include file` puts a
// file's tree under `key`. Relative include paths are resolved against the
// directory of the including file.
//
// Paths are dotted, and a numeric component indexes a sequence:
// "outputs.1.eve-log.types.1.frame.enabled".
//
// The config is built once at start-up and then read only. Nodes handed
// out (get_node, output, eve_type) share the tree: read them, never assign
// to them (yaml-cpp's Node::operator= writes through into the tree; use
// Node::reset to rebind a handle).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pasban::runtime {

// The built-in configuration (YAML text), used when no -c is given.
std::string_view default_config_yaml();

// Suricata truthiness: yes/true/on/1 and no/false/off/0, any case.
std::optional<bool> parse_bool(std::string_view text);

// Suricata sizes: "1000", "32mb", "4 KiB", "1.5gb"; kb/kib, mb/mib, gb/gib
// are powers of 1024, any case, optional space. Error: "invalid size 'x'".
core::Result<uint64_t> parse_size(std::string_view text);

// A read-only window on one node of the tree plus its dotted path, so that
// getters below it report errors with the full key.
class ConfigView {
 public:
  ConfigView();
  ConfigView(YAML::Node node, std::string path);
  ConfigView(const ConfigView& other);
  ConfigView& operator=(const ConfigView& other);

  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  // False when the view points at nothing (absent key).
  bool valid() const { return node_.IsDefined() && !node_.IsNull(); }

  bool has(std::string_view key) const;
  YAML::Node get_node(std::string_view key) const;  // Null node if absent
  ConfigView view(std::string_view key) const;

  // Scalar value; nullopt if absent, null, or a map/sequence.
  std::optional<std::string> get_string(std::string_view key) const;
  // Absent, null or unrecognised values give `def`.
  bool get_bool(std::string_view key, bool def) const;
  // Absent or null gives `def`; an unrecognised value is an error naming
  // the key, e.g. "stream.inline: invalid boolean 'maybe'".
  core::Result<bool> get_bool_checked(std::string_view key,
                                      bool def = false) const;
  // Absent, null or invalid values give `def`.
  int64_t get_int(std::string_view key, int64_t def) const;
  core::Result<int64_t> get_int_checked(std::string_view key,
                                        int64_t def) const;
  // Absent or null gives `def`; "stream.memcap: invalid size '12qb'".
  core::Result<uint64_t> get_size(std::string_view key, uint64_t def) const;

  // On an eve-log view: the entry of `types` named `type`, which may be
  // written `- alert` or `- alert: {...}`. The plain and empty forms give
  // an empty map (enabled by default); an absent type an invalid view.
  ConfigView eve_type(std::string_view type) const;

 private:
  std::string full_path(std::string_view key) const;

  YAML::Node node_;
  std::string path_;
};

class Config {
 public:
  Config();  // an empty tree
  Config(const Config& other);  // deep copy
  Config& operator=(const Config& other);
  Config(Config&& other) noexcept;
  Config& operator=(Config&& other) noexcept;

  // The built-in default tree.
  static core::Result<Config> load_default();

  // Loads a YAML file (with includes) and deep-merges it over the tree.
  // Errors name the file and, for syntax errors, line and column.
  core::Status merge_file(const std::string& path);
  // The same for YAML text; includes resolve against `base_dir`.
  core::Status merge_string(std::string_view yaml,
                            const std::string& base_dir = ".",
                            std::string_view name = "<string>");

  // --set key=value: creates missing map keys; an index one past the end
  // of a sequence appends; the value is stored as a string scalar.
  core::Status set(std::string_view assignment);

  ConfigView root() const { return ConfigView(root_, ""); }
  ConfigView view(std::string_view path) const { return root().view(path); }

  bool has(std::string_view path) const { return root().has(path); }
  YAML::Node get_node(std::string_view path) const {
    return root().get_node(path);
  }
  std::optional<std::string> get_string(std::string_view path) const {
    return root().get_string(path);
  }
  bool get_bool(std::string_view path, bool def) const {
    return root().get_bool(path, def);
  }
  core::Result<bool> get_bool_checked(std::string_view path,
                                      bool def = false) const {
    return root().get_bool_checked(path, def);
  }
  int64_t get_int(std::string_view path, int64_t def) const {
    return root().get_int(path, def);
  }
  core::Result<int64_t> get_int_checked(std::string_view path,
                                        int64_t def) const {
    return root().get_int_checked(path, def);
  }
  core::Result<uint64_t> get_size(std::string_view path, uint64_t def) const {
    return root().get_size(path, def);
  }

  // The config of the first `outputs` entry named `name` ("eve-log",
  // "fast", "stats"); an empty map for `- name` or `- name:`; Null if none.
  YAML::Node output(std::string_view name) const;
  // Every `outputs` entry named `name` (a config may hold two eve-logs),
  // as views with paths like "outputs.1.eve-log".
  std::vector<ConfigView> outputs(std::string_view name) const;
  // The config of `type` in the first eve-log's `types` (see
  // ConfigView::eve_type); Null if absent.
  YAML::Node eve_type(std::string_view type) const;

  // Suricata's --dump-config: one "path = value" line per node in tree
  // order; maps, sequences and nulls print "(null)", except that a
  // sequence item holding a map prints its first key
  // ("outputs.1 = eve-log").
  std::string dump() const;

 private:
  YAML::Node root_;
};

}  // namespace pasban::runtime
