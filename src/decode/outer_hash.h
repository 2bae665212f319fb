// Picks the worker of a frame before it is decoded: a hash of the outermost
// IP address pair, the same in both directions. Ports are left out so an IP
// fragment (no ports) lands where the rest of its datagram's flow goes.
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::decode {

// Hash of the frame's outermost IPv4/IPv6 source and destination (order
// ignored), looking through Ethernet (with VLAN tags), Linux cooked
// captures, null/loopback and raw IP links. nullopt: no IP header found.
std::optional<uint64_t> outer_address_hash(int linktype, core::Bytes frame);

}  // namespace pasban::decode
