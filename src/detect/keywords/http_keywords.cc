// urilen:[!|<|>|<=|>=]N, N<>M / N-M (exclusive, Suricata's u16 syntax),
// optionally followed by ",norm" (default: the normalised http.uri) or
// ",raw" (http.uri.raw). Request side; no URI: no match.
#include "app/http/http_parser.h"
#include "detect/keywords/numeric.h"
#include "detect/keywords/tx_keyword_impl.h"

namespace pasban::detect::keywords {
namespace {

class UriLen final : public TxKeyword {
 public:
  UriLen(NumCmp c, bool raw) : c_(c), raw_(raw) {}
  app::AppProto proto() const override { return app::AppProto::kHttp; }
  uint8_t sides() const override { return 1; }
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const auto* h = dynamic_cast<const app::http::HttpTx*>(&tx);
    if (!h || !h->has_uri) return false;
    return c_.match((raw_ ? h->uri_raw : h->uri_normalized).size());
  }

 private:
  NumCmp c_;
  bool raw_;
};

}  // namespace

TxKeywordPtr make_urilen(std::string_view name, std::string_view value, core::Error& err) {
  std::string_view v = unquote(value);
  bool raw = false;
  if (const size_t comma = v.find(','); comma != std::string_view::npos) {
    const std::string mod = lower(trim(v.substr(comma + 1)));
    if (mod == "raw") raw = true;
    else if (mod != "norm") {
      err = kw_error(name, "invalid modifier", trim(v.substr(comma + 1)));
      return nullptr;
    }
    v = trim(v.substr(0, comma));
  }
  auto c = parse_num_cmp(name, v, 0xffff);
  if (!c) {
    err = c.error().message.find("invalid number") != std::string::npos
              ? kw_error(name, "invalid value", v)
              : c.error();
    return nullptr;
  }
  return std::make_shared<UriLen>(*c, raw);
}

}  // namespace pasban::detect::keywords
