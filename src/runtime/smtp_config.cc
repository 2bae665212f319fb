#include "runtime/smtp_config.h"

#include "app/smtp/smtp_parser.h"

namespace pasban::runtime {
namespace {

// A list setting written as a YAML sequence ([a, b]) or a single scalar.
std::vector<std::string> string_list(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n && n.IsSequence()) {
    for (const auto& item : n)
      if (item.IsScalar()) out.push_back(item.as<std::string>());
  } else if (n && n.IsScalar()) {
    out.push_back(n.as<std::string>());
  }
  return out;
}

}  // namespace

void configure_smtp(const Config& config) {
  app::smtp::SmtpConfig c;
  ConfigView smtp = config.view("app-layer.protocols.smtp");
  ConfigView mime = smtp.view("mime");
  c.decode_mime = mime.get_bool("decode-mime", true);
  c.mime.decode_base64 = mime.get_bool("decode-base64", true);
  c.mime.decode_quoted_printable = mime.get_bool("decode-quoted-printable", true);
  c.mime.header_value_depth = uint32_t(mime.get_int("header-value-depth", 2000));
  c.mime.extract_urls = mime.get_bool("extract-urls", true);
  c.mime.log_url_scheme = mime.get_bool("log-url-scheme", false);
  c.mime.body_md5 = mime.get_bool("body-md5", false);
  auto schemes = string_list(mime.get_node("extract-urls-schemes"));
  if (!schemes.empty()) {
    c.mime.url_schemes.clear();
    for (auto& s : schemes) c.mime.url_schemes.push_back(s + "://");
  }
  // Suricata: raw extraction and MIME decoding exclude each other; MIME
  // decoding wins.
  c.raw_extraction = smtp.get_bool("raw-extraction", false) && !c.decode_mime;

  for (const ConfigView& eve : config.outputs("eve-log")) {
    ConfigView t = eve.eve_type("smtp");
    if (!t.valid() && !t.node().IsMap()) continue;
    if (t.get_bool("extended", false)) c.log_fields |= app::smtp::kLogExtendedFields;
    for (const auto& f : string_list(t.get_node("custom")))
      if (auto bit = app::smtp::email_log_field_by_name(f)) c.log_fields |= *bit;
    for (const auto& f : string_list(t.get_node("md5"))) {
      if (f == "body") c.log_body_md5 = true;
      if (f == "subject") c.log_subject_md5 = true;
    }
    break;
  }
  app::smtp::set_smtp_config(c);
}

}  // namespace pasban::runtime
