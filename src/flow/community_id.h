// Community ID v1 (https://github.com/corelight/community-id-spec): a
// base64 SHA-1 over seed, ordered addresses, protocol and ports, so that
// different tools name the same flow the same way.
#pragma once
#include <cstdint>
#include <string>

#include "core/ip_address.h"

namespace pasban::flow {

std::string community_id_v1(const core::IpAddress& src, const core::IpAddress& dst,
                            uint16_t sport, uint16_t dport, uint8_t proto, uint16_t seed = 0);

}  // namespace pasban::flow
