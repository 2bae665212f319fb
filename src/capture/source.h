// A live packet source polled by one worker (AF_PACKET fanout socket,
// NFQUEUE queue). Inline sources take a verdict for every packet.
#pragma once
#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "core/timestamp.h"

namespace pasban::capture { struct LivePacket { core::Timestamp ts; core::Bytes data; uint32_t orig_len; uint32_t id; int linktype; };
enum class Verdict : uint8_t { kAccept, kDrop };
class Source { public: virtual ~Source(); virtual int next(LivePacket& out) = 0; /* 1 pkt, 0 timeout, -1 error */ virtual bool is_inline() const; virtual bool verdict(const LivePacket&, Verdict); virtual const std::string& error() const; }; }
