#include "flow/flow.h"

#include <algorithm>

namespace pasban::flow {

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
