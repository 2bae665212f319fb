// The app layer's transaction indices after a parser removes transactions.
#include <gtest/gtest.h>

#include <memory>

#include "app/app_layer.h"
#include "app/parser.h"

namespace pasban::app {
namespace {

class NoTxParser : public Parser {
 public:
  void feed(bool, core::Bytes, core::Timestamp) override {}
  size_t tx_count() const override { return 0; }
  Transaction* tx(size_t) override { return nullptr; }
};

TEST(AppFlowState, IndicesRestartOnlyAfterARemoval) {
  AppFlowState st;
  st.parser = std::make_unique<NoTxParser>();
  st.logged_up_to = 7;
  st.files_done_up_to = 5;
  st.sync_tx_indices();  // nothing removed: the indices stand
  EXPECT_EQ(st.logged_up_to, 7u);
  EXPECT_EQ(st.files_done_up_to, 5u);
  st.parser->txs_removed += 3;  // tx(i) now names another transaction
  st.sync_tx_indices();
  EXPECT_EQ(st.logged_up_to, 0u);
  EXPECT_EQ(st.files_done_up_to, 0u);
  st.logged_up_to = 2;
  st.sync_tx_indices();  // the same removal is not counted twice
  EXPECT_EQ(st.logged_up_to, 2u);
}

}  // namespace
}  // namespace pasban::app
