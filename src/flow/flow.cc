#include "flow/flow.h"

#include <algorithm>

namespace pasban::flow {

const char* tcp_state_name(TcpState s) {
  switch (s) {
    case TcpState::kNone: return "none";
    case TcpState::kSynSent: return "syn_sent";
    case TcpState::kSynRecv: return "syn_recv";
    case TcpState::kEstablished: return "established";
    case TcpState::kFinWait1: return "fin_wait1";
    case TcpState::kFinWait2: return "fin_wait2";
    case TcpState::kClosing: return "closing";
    case TcpState::kCloseWait: return "close_wait";
    case TcpState::kLastAck: return "last_ack";
    case TcpState::kTimeWait: return "time_wait";
    case TcpState::kClosed: return "closed";
  }
  return "none";
}

bool Flow::has_flowbit(uint32_t id) const {
  return std::find(flowbits.begin(), flowbits.end(), id) != flowbits.end();
}

void Flow::set_flowbit(uint32_t id) {
  if (!has_flowbit(id)) flowbits.push_back(id);
}

void Flow::unset_flowbit(uint32_t id) {
  auto it = std::find(flowbits.begin(), flowbits.end(), id);
  if (it != flowbits.end()) flowbits.erase(it);
}

const Flow::IntVar* Flow::flowint(uint32_t id) const {
  for (const auto& v : flowints)
    if (v.id == id) return &v;
  return nullptr;
}

void Flow::set_flowint(uint32_t id, uint32_t value) {
  for (auto& v : flowints)
    if (v.id == id) {
      v.value = value;
      return;
    }
  flowints.push_back({id, value});
}

const Flow::StrVar* Flow::flowvar(uint32_t id) const {
  for (const auto& v : flowvars)
    if (v.id == id) return &v;
  return nullptr;
}

void Flow::set_flowvar(uint32_t id, std::string_view value) {
  for (auto& v : flowvars)
    if (v.id == id) {
      v.value.assign(value);
      return;
    }
  flowvars.push_back({id, std::string(value)});
}

}  // namespace pasban::flow
