// The option pass of rule building: walks a rule's options in order,
// keeping the sticky buffer, the last content (for modifiers) and the
// byte_extract variables, and fills the Rule.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "detect/build/rule_builder.h"

namespace pasban::detect::build {

class OptionState {
 public:
  OptionState(Rule& rule, const BuildContext& ctx) : r_(rule), ctx_(ctx) {}
  core::Status apply(const rules::RawOption& opt);
  // Validation after every option: sid present, fast pattern chosen, ...
  core::Status finish();
  bool skipped() const { return skipped_; }
  const std::string& skip_reason() const { return skip_reason_; }

 private:
  core::Status apply_meta(const rules::RawOption& opt, bool& handled);
  core::Status apply_content_modifier(const rules::RawOption& opt, bool& handled);
  core::Status apply_payload(const rules::RawOption& opt, bool& handled);
  core::Status apply_packet(const rules::RawOption& opt, bool& handled);
  core::Status apply_requires(std::string_view value);
  // flowint, hostbits and xbits (src/detect/build/rule_options.cc).
  core::Status apply_state_keyword(std::string_view name, std::string_view value);
  // Interns the flowvar/pktvar names a pcre captures into.
  core::Status bind_captures(keywords::Pcre& p);
  // absent / absent: or_else on the sticky buffer just named.
  core::Status apply_absent(std::string_view value);
  // Transforms, base64_decode/base64_data and the checks a sticky buffer
  // switch makes (src/detect/build/rule_transforms.cc).
  core::Status apply_transform(const rules::RawOption& opt, bool& handled);
  core::Status before_buffer_switch(std::string_view keyword);

  BufferList& current_list();
  // The list a payload keyword goes to: current_list(), except that a
  // relative keyword outside a sticky buffer follows its content's list.
  BufferList& list_for(bool relative);
  // Finds or adds the list of app buffer b (and notes the protocol and
  // transaction side it implies).
  core::Result<int> app_list(app::AppBuffer b, std::string_view keyword);
  // Legacy content modifiers (http_uri, ...): move the last content to b.
  core::Status move_last_content(app::AppBuffer b, std::string_view modifier);
  keywords::Content* last_content(std::string_view modifier, core::Status& err);
  core::Result<int> position_value(std::string_view kw, std::string_view v, int64_t min,
                                   int64_t max, int8_t& var_slot);
  std::optional<int> resolve_var(std::string_view name) const;
  core::Result<int> define_var(std::string_view name);
  core::Status apply_file_content(std::string_view keyword, std::string_view value);
  void settle_file_sides();
  // flow:to_client moves bidirectional HTTP buffers to their response twins.
  void settle_http_sides();
  void choose_fast_pattern();
  void classify_ip_only();

  Rule& r_;
  const BuildContext& ctx_;
  int current_buffer_ = -1;  // index into r_.buffers
  int last_content_buffer_ = -1, last_content_item_ = -1;
  std::vector<std::string> var_names_;
  // Suricata's list_set: true from a sticky buffer keyword until transforms
  // after it are consumed by the first keyword that inspects.
  bool list_set_ = false;
  std::vector<transforms::Transform> pending_transforms_;
  bool has_sid_ = false;
  bool skipped_ = false;
  std::string skip_reason_;
};

}  // namespace pasban::detect::build
