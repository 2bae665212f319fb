// app-layer.protocols.smtp and eve-log types.smtp -> app::smtp::SmtpConfig.
#pragma once
#include "runtime/config.h"

namespace pasban::runtime {

// Reads the SMTP settings and installs them (app::smtp::set_smtp_config);
// call once at load time, before any flow exists.
void configure_smtp(const Config& config);

}  // namespace pasban::runtime
