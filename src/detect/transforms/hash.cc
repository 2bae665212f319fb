// to_md5, to_sha1, to_sha256: the buffer becomes its raw digest bytes (16,
// 20 or 32 bytes, not hex), which rules match with |hex| content.
#include <openssl/evp.h>

#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {
namespace {

void digest(core::Bytes in, const EVP_MD* md, std::string& out) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(in.data(), in.size(), d, &n, md, nullptr) != 1) n = 0;
  out.assign(reinterpret_cast<const char*>(d), n);
}

}  // namespace

void to_md5(core::Bytes in, std::string& out) { digest(in, EVP_md5(), out); }
void to_sha1(core::Bytes in, std::string& out) { digest(in, EVP_sha1(), out); }
void to_sha256(core::Bytes in, std::string& out) { digest(in, EVP_sha256(), out); }

}  // namespace pasban::detect::transforms
