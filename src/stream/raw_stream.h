// The raw stream of one TCP direction as detection sees it: reassembled
// bytes not yet inspected by stream-level (raw) rules, with the gaps the
// reassembler skipped. Suricata inspects this "raw stream" in chunks:
// when enough data has accumulated (stream.reassembly.to{server,client}-
// chunk-size), when the app layer asks for it (a transaction completed),
// when the direction closes, and when the flow ends.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace pasban::stream {

class RawStream {
 public:
  // A contiguous run of bytes in the pending data.
  struct Block {
    size_t begin, end;  // offsets into data()
  };

  void append(core::Bytes b);
  // len bytes of the stream were never seen.
  void gap(uint32_t len);
  // Bytes pending inspection (gaps excluded).
  size_t pending() const { return data_.size() - inspected_; }
  bool empty() const { return pending() == 0; }
  // All buffered data: a tail of already inspected bytes (kept so a
  // pattern split across two chunks is still seen) then the new bytes.
  core::Bytes data() const { return core::as_bytes(data_); }
  // Contiguous blocks of data(), in order; gaps separate them.
  const std::vector<Block>& blocks() const { return blocks_; }
  // Start of the bytes not inspected before, inside data().
  size_t inspected() const { return inspected_; }
  // The buffered data rendered for a log: bytes with each gap written as
  // "[N bytes missing]", as Suricata's stream payload logging does.
  std::string render() const;
  // Marks everything inspected, keeping at most `keep` trailing bytes of
  // the last block as context for the next chunk.
  void consume(size_t keep);
  // Stream offset of data()[0] (bytes and gaps since the stream start).
  uint64_t base_offset() const { return base_off_; }
  // Set by the app layer when a transaction completed in this direction:
  // inspect now, not at the next chunk boundary.
  bool trigger = false;
  // Rules (by index) that matched a packet of this direction since the
  // last inspection: their stream match would repeat that alert.
  std::vector<uint32_t> packet_matched;

 private:
  std::string data_;
  std::vector<Block> blocks_;
  // Gaps inside data_: (offset in data_, length), for render().
  std::vector<std::pair<size_t, uint32_t>> gaps_;
  size_t inspected_ = 0;
  uint64_t base_off_ = 0;
  bool after_gap_ = true;  // the next append starts a new block
};

}  // namespace pasban::stream
