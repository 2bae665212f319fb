// Capture settings from Suricata's YAML: per-interface entries, the
// "default" entry, Suricata's names and defaults, and named errors.
#include <gtest/gtest.h>

#include "runtime/capture_config.h"

namespace pasban::runtime {
namespace {

YAML::Node af_list() {
  return YAML::Load(R"(
- interface: eth0
  threads: 3
  cluster-id: 98
  cluster-type: cluster_cpu
  defrag: no
  bpf-filter: "tcp port 80"
- interface: eth1
  copy-mode: ips
  copy-iface: eth2
- interface: default
  threads: auto
  block-size: 65536
  ring-size: 4096
  disable-promisc: yes
)");
}

TEST(CaptureConfig, AfPacketEntryOverridesDefaultEntry) {
  auto c = af_packet_config(af_list(), "eth0", 8);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->interface, "eth0");
  EXPECT_EQ(c->threads, 3);
  EXPECT_EQ(c->cluster_id, 98);
  EXPECT_EQ(c->cluster_type, capture::ClusterType::kCpu);
  EXPECT_FALSE(c->defrag);
  EXPECT_EQ(c->bpf_filter, "tcp port 80");
  EXPECT_EQ(c->block_size, 65536u);  // from default
  EXPECT_EQ(c->ring_size, 4096u);
  EXPECT_FALSE(c->promisc);
  EXPECT_TRUE(c->tpacket_v3);
  EXPECT_EQ(c->copy_mode, capture::CopyMode::kNone);
}

TEST(CaptureConfig, AfPacketCopyModeAndAutoThreads) {
  auto c = af_packet_config(af_list(), "eth1", 8);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->threads, 8);  // auto from the default entry
  EXPECT_EQ(c->copy_mode, capture::CopyMode::kIps);
  EXPECT_EQ(c->copy_iface, "eth2");
  EXPECT_FALSE(c->tpacket_v3) << "inline modes default to tpacket-v2 as in Suricata";
  EXPECT_EQ(c->cluster_id, 99);
  EXPECT_EQ(c->cluster_type, capture::ClusterType::kFlow);
  EXPECT_TRUE(c->defrag);
}

TEST(CaptureConfig, AfPacketUnlistedInterfaceAndEmptyConfig) {
  auto c = af_packet_config(af_list(), "eth9", 2);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->threads, 2);
  EXPECT_EQ(c->block_size, 65536u);
  auto d = af_packet_config(YAML::Node(), "eth0", 4);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->threads, 4);
  EXPECT_TRUE(d->promisc);
}

TEST(CaptureConfig, AfPacketErrorsNameInterfaceKeyAndValue) {
  auto bad = [](const std::string& yaml) {
    auto c = af_packet_config(YAML::Load(yaml), "eth0", 2);
    return c.ok() ? std::string() : c.error().message;
  };
  EXPECT_EQ(bad("[{interface: eth0, cluster-type: cluster_ebpf}]").rfind(
                "af-packet eth0: cluster-type: 'cluster_ebpf'", 0),
            0u);
  EXPECT_NE(bad("[{interface: eth0, threads: lots}]").find("threads"), std::string::npos);
  EXPECT_NE(bad("[{interface: eth0, defrag: maybe}]").find("defrag"), std::string::npos);
  EXPECT_NE(bad("[{interface: eth0, copy-mode: ips}]").find("copy-iface"), std::string::npos);
  EXPECT_NE(bad("[{interface: eth0, cluster-id: 70000}]").find("cluster-id"), std::string::npos);
}

TEST(CaptureConfig, NfqSettings) {
  auto c = nfq_config(YAML::Load("{mode: repeat, repeat-mark: 4, repeat-mask: 6, fail-open: yes}"), 3);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->queue, 3);
  EXPECT_EQ(c->mode, capture::NfqMode::kRepeat);
  EXPECT_EQ(c->repeat_mark, 4u);
  EXPECT_EQ(c->repeat_mask, 6u);
  EXPECT_TRUE(c->fail_open);
  auto d = nfq_config(YAML::Node(), 0);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->mode, capture::NfqMode::kAccept);
  EXPECT_FALSE(d->fail_open);
  EXPECT_FALSE(nfq_config(YAML::Load("{mode: route}"), 0).ok());
  EXPECT_FALSE(nfq_config(YAML::Load("{mode: sideways}"), 0).ok());
}

TEST(CaptureConfig, PcapEntry) {
  auto c = pcap_live_config(
      YAML::Load("[{interface: eth0, promisc: no, snaplen: 1518}, {interface: default, "
                 "buffer-size: 16mb}]"),
      "eth0");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->promisc);
  EXPECT_EQ(c->snaplen, 1518u);
  EXPECT_EQ(c->buffer_size, 16u << 20);
}

}  // namespace
}  // namespace pasban::runtime
