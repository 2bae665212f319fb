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
  return std::binary_search(flowbits.begin(), flowbits.end(), id);
}

void Flow::set_flowbit(uint32_t id) {
  auto it = std::lower_bound(flowbits.begin(), flowbits.end(), id);
  if (it == flowbits.end() || *it != id) flowbits.insert(it, id);
}

void Flow::unset_flowbit(uint32_t id) {
  auto it = std::lower_bound(flowbits.begin(), flowbits.end(), id);
  if (it != flowbits.end() && *it == id) flowbits.erase(it);
}

}  // namespace pasban::flow
