// The pasban command: parse the command line, build the configuration,
// run the offline pipeline. Returns the process exit code.
#pragma once

namespace pasban::runtime {

int run_app(int argc, char** argv);

}  // namespace pasban::runtime
