#include "output/eve_metadata.h"

#include <string>
#include <string_view>

namespace pasban::output {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kTrafficId = "traffic/id/";
constexpr std::string_view kTrafficLabel = "traffic/label/";

void str(JsonWriter& w, std::string_view s) { w.String(s.data(), rapidjson::SizeType(s.size())); }

bool has_vars(const flow::Flow* f) {
  return f && (!f->flowbits.empty() || !f->flowints.empty() || !f->flowvars.empty());
}

// An array of the flowbit names (after prefix) that start with prefix, or
// of those matching neither traffic prefix when prefix is empty.
void flowbit_array(JsonWriter& w, const char* key, const flow::Flow& f,
                   const detect::VarNames& names, std::string_view prefix) {
  bool open = false;
  for (uint32_t id : f.flowbits) {
    std::string_view n = names.name(detect::VarKind::kFlowbit, id);
    if (n.empty()) continue;
    const bool traffic = n.starts_with(kTrafficId) || n.starts_with(kTrafficLabel);
    if (prefix.empty() ? traffic : !n.starts_with(prefix)) continue;
    if (!open) {
      w.Key(key);
      w.StartArray();
      open = true;
    }
    str(w, n.substr(prefix.size()));
  }
  if (open) w.EndArray();
}

bool any_flowbit_with(const flow::Flow& f, const detect::VarNames& names, std::string_view prefix) {
  for (uint32_t id : f.flowbits)
    if (names.name(detect::VarKind::kFlowbit, id).starts_with(prefix)) return true;
  return false;
}

void flow_vars(JsonWriter& w, const flow::Flow& f, const detect::VarNames& names) {
  flowbit_array(w, "flowbits", f, names, {});
  if (!f.flowints.empty()) {
    w.Key("flowints");
    w.StartObject();
    for (const auto& v : f.flowints) {
      str(w, names.name(detect::VarKind::kFlowint, v.id));
      w.Uint(v.value);
    }
    w.EndObject();
  }
  if (!f.flowvars.empty()) {
    w.Key("flowvars");
    w.StartArray();
    for (const auto& v : f.flowvars) {
      w.StartObject();
      str(w, names.name(detect::VarKind::kFlowvar, v.id));
      str(w, printable_value(v.value));
      w.EndObject();
    }
    w.EndArray();
  }
}

}  // namespace

std::string printable_value(std::string_view v) {
  std::string out(v);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 || u > 0x7e) && c != '\n' && c != '\r') c = '.';
  }
  return out;
}

void write_var_metadata(JsonWriter& w, const flow::Flow* f,
                        const std::vector<detect::PktVar>* pktvars,
                        const detect::VarNames& names) {
  const bool pkt = pktvars && !pktvars->empty();
  if (!has_vars(f) && !pkt) return;
  if (has_vars(f)) {
    const bool id = any_flowbit_with(*f, names, kTrafficId);
    const bool label = any_flowbit_with(*f, names, kTrafficLabel);
    if (id || label) {
      w.Key("traffic");
      w.StartObject();
      if (id) flowbit_array(w, "id", *f, names, kTrafficId);
      if (label) flowbit_array(w, "label", *f, names, kTrafficLabel);
      w.EndObject();
    }
  }
  w.Key("metadata");
  w.StartObject();
  if (has_vars(f)) flow_vars(w, *f, names);
  if (pkt) {
    w.Key("pktvars");
    w.StartArray();
    for (const auto& v : *pktvars) {
      w.StartObject();
      str(w, names.name(detect::VarKind::kPktvar, v.id));
      str(w, printable_value(v.value));
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace pasban::output
