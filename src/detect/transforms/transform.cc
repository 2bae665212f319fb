#include "detect/transforms/transform.h"

#include "detect/keywords/numeric.h"

namespace pasban::detect::transforms {
namespace {

struct Entry {
  std::string_view name;
  Kind kind;
  bool takes_value;
};

constexpr Entry kTransforms[] = {
    {"dotprefix", Kind::kDotPrefix, false},
    {"strip_whitespace", Kind::kStripWhitespace, false},
    {"compress_whitespace", Kind::kCompressWhitespace, false},
    {"to_lowercase", Kind::kToLowercase, false},
    {"to_uppercase", Kind::kToUppercase, false},
    {"to_md5", Kind::kToMd5, false},
    {"to_sha1", Kind::kToSha1, false},
    {"to_sha256", Kind::kToSha256, false},
    {"url_decode", Kind::kUrlDecode, false},
    {"xor", Kind::kXor, true},
    {"pcrexform", Kind::kPcreXform, true},
    {"header_lowercase", Kind::kHeaderLowercase, false},
    {"strip_pseudo_headers", Kind::kStripPseudoHeaders, false},
    {"from_base64", Kind::kFromBase64, true},
    {"gunzip", Kind::kGunzip, true},
    {"zlib_deflate", Kind::kZlibDeflate, true},
};

const Entry* find(std::string_view name) {
  for (const auto& e : kTransforms)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace

bool Transform::is_transform(std::string_view name) { return find(name) != nullptr; }

core::Result<Transform> Transform::parse(std::string_view name, std::string_view value) {
  const Entry* e = find(name);
  if (!e) return core::make_error("unknown transform '" + std::string(name) + "'");
  value = keywords::trim(value);
  if (!e->takes_value && !value.empty())
    return core::make_error(std::string(name) + ": takes no value");
  Transform t;
  t.kind_ = e->kind;
  switch (e->kind) {
    case Kind::kXor: {
      auto key = parse_xor_key(value);
      if (!key) return key.error();
      t.key_ = std::move(*key);
      break;
    }
    case Kind::kPcreXform: {
      auto code = compile_pcrexform(value);
      if (!code) return code.error();
      t.code_ = std::move(*code);
      t.key_ = std::string(value);
      break;
    }
    case Kind::kFromBase64: {
      auto o = parse_from_base64(value);
      if (!o) return o.error();
      t.b64_ = *o;
      break;
    }
    case Kind::kGunzip:
    case Kind::kZlibDeflate: {
      auto m = parse_max_size(name, value);
      if (!m) return m.error();
      t.max_size_ = *m;
      break;
    }
    default:
      break;
  }
  return t;
}

std::string_view Transform::name() const {
  for (const auto& e : kTransforms)
    if (e.kind == kind_) return e.name;
  return {};
}

bool Transform::operator==(const Transform& o) const {
  return kind_ == o.kind_ && key_ == o.key_ && b64_ == o.b64_ && max_size_ == o.max_size_;
}

bool Transform::apply(core::Bytes in, std::string& out, pcre2_match_data* md) const {
  // Suricata's transforms leave an empty buffer empty.
  if (in.empty()) {
    out.clear();
    return true;
  }
  switch (kind_) {
    case Kind::kDotPrefix: dotprefix(in, out); return true;
    case Kind::kStripWhitespace: strip_whitespace(in, out); return true;
    case Kind::kCompressWhitespace: compress_whitespace(in, out); return true;
    case Kind::kToLowercase: to_lowercase(in, out); return true;
    case Kind::kToUppercase: to_uppercase(in, out); return true;
    case Kind::kToMd5: to_md5(in, out); return true;
    case Kind::kToSha1: to_sha1(in, out); return true;
    case Kind::kToSha256: to_sha256(in, out); return true;
    case Kind::kUrlDecode: url_decode(in, out); return true;
    case Kind::kXor: xor_bytes(in, key_, out); return true;
    case Kind::kPcreXform: pcrexform(code_.get(), in, md, out); return true;
    case Kind::kHeaderLowercase: header_lowercase(in, out); return true;
    case Kind::kStripPseudoHeaders: strip_pseudo_headers(in, out); return true;
    case Kind::kFromBase64: return from_base64(in, b64_, out);
    case Kind::kGunzip: decompress(in, true, max_size_, out); return true;
    case Kind::kZlibDeflate: decompress(in, false, max_size_, out); return true;
  }
  return false;
}

bool apply_chain(const TransformChain& chain, core::Bytes in, ChainScratch& scratch,
                 core::Bytes& out, pcre2_match_data* md) {
  out = in;
  std::string* dst = &scratch.a;
  for (const Transform& t : chain) {
    if (!t.apply(out, *dst, md)) return false;
    out = core::as_bytes(*dst);
    dst = dst == &scratch.a ? &scratch.b : &scratch.a;
  }
  return true;
}

}  // namespace pasban::detect::transforms
