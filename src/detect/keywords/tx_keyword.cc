#include "detect/keywords/tx_keyword.h"

namespace pasban::detect::keywords {

TxKeywordPtr make_tx_keyword(std::string_view, std::string_view, core::Error&) { return nullptr; }

FlowKeywordPtr make_flow_keyword(std::string_view, std::string_view, core::Error&) {
  return nullptr;
}

}  // namespace pasban::detect::keywords
