// The option pass for transforms (`http.uri; url_decode; content:...`) and
// for base64_decode / base64_data, following Suricata's rule parser:
// - a transform must come after a sticky buffer keyword, before the first
//   keyword that consumes the transforms ("transforms must directly follow
//   stickybuffers"); contents before it stay on the untransformed buffer;
// - the transforms are consumed by the next inspecting keyword, which
//   starts a list of its own (the buffer with those transforms);
// - a sticky buffer, or pkt_data, with transforms pending is an error, as
//   is switching buffers after base64_data;
// - base64_decode goes to the current list (with no sticky buffer, to the
//   list of the last content, so `content:"x"; http_uri; base64_decode`
//   decodes the URI); base64_data collects what follows into the rule's
//   base64_data list.
#include "detect/build/rule_options.h"
#include "detect/keywords/numeric.h"

namespace pasban::detect::build {
namespace {

// Suricata's DETECT_TRANSFORMS_MAX.
constexpr size_t kMaxTransforms = 16;

core::Error err(std::string_view kw, const std::string& msg) {
  return core::make_error(std::string(kw) + ": " + msg);
}

}  // namespace

core::Status OptionState::before_buffer_switch(std::string_view keyword) {
  if (current_buffer_ >= 0 && r_.buffers[size_t(current_buffer_)].base64_data)
    return err(keyword, "rule buffer cannot be reset after base64_data");
  if (!pending_transforms_.empty())
    return err(keyword, "no matches following transform(s)");
  return {};
}

core::Status OptionState::apply_transform(const rules::RawOption& opt, bool& handled) {
  handled = true;
  const std::string& n = opt.name;
  if (transforms::Transform::is_transform(n)) {
    if (!list_set_ || current_buffer_ < 0 || r_.buffers[size_t(current_buffer_)].base64_data)
      return err(n, "transforms must directly follow stickybuffers");
    if (pending_transforms_.size() >= kMaxTransforms)
      return err(n, "too many transforms (max " + std::to_string(kMaxTransforms) + ")");
    auto t = transforms::Transform::parse(n, opt.value);
    if (!t) return t.error();
    pending_transforms_.push_back(std::move(*t));
    return {};
  }
  if (n == "base64_decode") {
    if (current_buffer_ >= 0 && r_.buffers[size_t(current_buffer_)].base64_data)
      return err(n, "can't be used after base64_data");
    auto k = keywords::Base64Decode::parse(opt.value);
    if (!k) return k.error();
    if (current_buffer_ < 0 && last_content_buffer_ >= 0) {
      r_.buffers[size_t(last_content_buffer_)].items.emplace_back(*k);
    } else {
      current_list().items.emplace_back(*k);
    }
    return {};
  }
  if (n == "base64_data") {
    if (!keywords::trim(opt.value).empty()) return err(n, "takes no value");
    if (!pending_transforms_.empty()) return err(n, "no matches following transform(s)");
    bool have_decode = false;
    for (const auto& list : r_.buffers)
      for (const auto& item : list.items)
        have_decode |= std::holds_alternative<keywords::Base64Decode>(item);
    if (!have_decode) return err(n, "found without base64_decode");
    int idx = -1;
    for (size_t i = 0; i < r_.buffers.size(); ++i)
      if (r_.buffers[i].base64_data) idx = int(i);
    if (idx < 0) {
      BufferList list;
      list.base64_data = true;
      r_.buffers.push_back(std::move(list));
      idx = int(r_.buffers.size() - 1);
    }
    current_buffer_ = idx;
    list_set_ = false;
    return {};
  }
  handled = false;
  return {};
}

}  // namespace pasban::detect::build
