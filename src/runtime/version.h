#pragma once

namespace pasban::runtime {

inline constexpr const char* kProductName = "Pasban";
inline constexpr const char* kPasbanVersion = "0.1.0";
// The Suricata release whose rule language, command line and EVE output
// Pasban follows; tools such as suricata-update read it from -V.
inline constexpr const char* kSuricataCompatVersion = "8.0.7";

}  // namespace pasban::runtime
