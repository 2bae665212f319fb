// A loaded rule: header, metadata and its options compiled into match
// lists. Built once by build/rule_builder, immutable afterwards.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/app_proto.h"
#include "app/buffers.h"
#include "detect/buffers.h"
#include "detect/keywords/base64_decode.h"
#include "detect/keywords/byte_extract.h"
#include "detect/keywords/byte_jump.h"
#include "detect/keywords/byte_math.h"
#include "detect/keywords/byte_test.h"
#include "detect/keywords/content.h"
#include "detect/keywords/flow_keyword.h"
#include "detect/keywords/flowbits.h"
#include "detect/keywords/flowint.h"
#include "detect/keywords/isdataat.h"
#include "detect/keywords/packet_match.h"
#include "detect/keywords/pcre.h"
#include "detect/keywords/tag.h"
#include "detect/keywords/tx_keyword.h"
#include "detect/keywords/xbits.h"
#include "detect/rules/address.h"
#include "detect/rules/port.h"
#include "detect/threshold/threshold_spec.h"
#include "detect/transforms/transform.h"

namespace pasban::detect {

// In Suricata's default action order: pass first, then drop, reject, alert.
enum class Action : uint8_t { kPass, kDrop, kReject, kRejectSrc, kRejectDst, kRejectBoth, kAlert };

enum class Proto : uint8_t {
  kIp, kIpv4, kIpv6, kTcp, kTcpPkt, kTcpStream, kUdp, kIcmp, kIcmpv4, kIcmpv6, kSctp, kPkthdr,
  kTcpOrUdp,  // app-layer protocols that run over both (dns)
};

struct Bsize {
  keywords::NumCmp cmp;
  bool match(size_t n) const noexcept { return cmp.match(n); }
};

using BufferItem = std::variant<keywords::Content, keywords::Pcre, keywords::ByteTest,
                                keywords::ByteJump, keywords::ByteExtract, keywords::ByteMath,
                                keywords::IsDataAt, Bsize, keywords::Base64Decode>;

struct BufferList {
  BufferId id = BufferId::kPayload;  // packet buffers
  bool is_app = false;               // a transaction buffer published by a parser
  app::AppBuffer app_buffer = app::AppBuffer::kCount;
  std::vector<BufferItem> items;
  // Applied in order to the buffer's bytes before items inspect them. The
  // same buffer with other transforms (or none) is another list.
  std::vector<transforms::Transform> transforms;
  // The base64_data list: inspected only by a base64_decode item, on the
  // bytes it decoded (id and is_app are unused).
  bool base64_data = false;
  // `absent` (Suricata 8) after the sticky buffer: kOnly matches when the
  // buffer does not exist (and takes no other keywords); kOrElse when it
  // does not exist or the list's keywords match it.
  enum class Absent : uint8_t { kNone, kOnly, kOrElse };
  Absent absent = Absent::kNone;
  // The buffer as published: no transforms, not base64_data, no absent.
  bool plain() const { return transforms.empty() && !base64_data && absent == Absent::kNone; }

  bool same_buffer(const BufferList& o) const {
    return is_app == o.is_app && (is_app ? app_buffer == o.app_buffer : id == o.id) &&
           transforms == o.transforms && base64_data == o.base64_data;
  }
  std::string_view name() const {
    if (base64_data) return "base64_data";
    return is_app ? app::app_buffer_name(app_buffer) : buffer_name(id);
  }
};

struct Rule {
  // Identity and metadata.
  uint32_t sid = 0, gid = 1, rev = 0;
  std::string msg;
  std::string classtype;
  std::string category;  // classtype description, "" when none
  int priority = 3;
  bool priority_set = false;
  std::vector<std::pair<std::string, std::string>> references;  // (type, value)
  std::vector<std::pair<std::string, std::string>> metadata;    // (key, value) in order
  enum class Target : uint8_t { kNone, kSrc, kDst } target = Target::kNone;

  // Header.
  Action action = Action::kAlert;
  Proto proto = Proto::kIp;
  rules::AddressSet src_addr, dst_addr;
  rules::PortSet src_port, dst_port;
  bool bidirectional = false;
  // "=>": addresses name the flow's client and server, and the rule reads
  // a whole transaction (request and response).
  bool transactional = false;
  // Application protocol the flow must have (alert http ..., or implied
  // by an http.* / dns.* / tls.* buffer). kUnknown: none required.
  app::AppProto app_proto = app::AppProto::kUnknown;
  // Which sides of a transaction the rule's app buffers read: bit 0 the
  // request side (to_server), bit 1 the response side. 0: a packet rule.
  uint8_t app_sides = 0;
  bool is_app_rule() const { return app_sides != 0; }
  bool src_port_any = true, dst_port_any = true;
  // Files a rule's file buffers and keywords look at (file.data,
  // file.name, filesize, ...): bit 0 uploads, bit 1 downloads; set from
  // the flow keyword's direction.
  uint8_t file_dirs = 3;

  // Options.
  std::optional<keywords::FlowMatch> flow;
  std::vector<keywords::PacketMatch> packet;
  std::vector<keywords::Flowbits> flowbit_conditions;
  std::vector<keywords::Flowbits> flowbit_actions;
  std::vector<keywords::Flowint> flowint_conditions;
  std::vector<keywords::Flowint> flowint_actions;
  // hostbits and xbits (host and ip-pair bits).
  std::vector<keywords::Xbits> xbit_conditions;
  std::vector<keywords::Xbits> xbit_actions;
  // pcre captures into flowvars / pktvars (set when the rule matches).
  bool captures_flowvar = false, captures_pktvar = false;
  std::vector<BufferList> buffers;
  std::vector<keywords::TxKeywordPtr> tx_keywords;
  std::vector<keywords::FlowKeywordPtr> flow_keywords;
  bool noalert = false;
  bool pass_alerts = false;  // alert keyword: a pass rule logs an alert too
  std::vector<keywords::TagSpec> tags;  // tag: packets logged after the alert
  // config: logging disable, type tx, scope tx: a match keeps the
  // transaction out of the EVE log.
  bool disable_tx_logging = false;
  std::optional<threshold::ThresholdSpec> threshold;
  std::optional<threshold::ThresholdSpec> detection_filter;
  uint8_t n_vars = 0;

  // Prefilter: index into buffers[0 or more] of the fast pattern content,
  // or buffer_index < 0 when the rule has no usable literal.
  int fp_buffer = -1;
  int fp_item = -1;
  bool ip_only = false;
  // Drop and pass from this rule apply to the flow, not only the packet:
  // IP-only, like-IP-only (ports) and app-layer-protocol-only rules.
  bool action_on_flow = false;

  // Where it came from.
  std::string file;
  int line = 0;
  uint32_t load_index = 0;

  const keywords::Content* fast_pattern() const {
    if (fp_buffer < 0) return nullptr;
    return &std::get<keywords::Content>(buffers[size_t(fp_buffer)].items[size_t(fp_item)]);
  }
  bool is_drop() const { return action == Action::kDrop; }
  bool is_reject() const {
    return action == Action::kReject || action == Action::kRejectSrc ||
           action == Action::kRejectDst || action == Action::kRejectBoth;
  }
};

}  // namespace pasban::detect
