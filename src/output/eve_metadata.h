// The flow and packet variables of an EVE record, as Suricata writes them
// (EveAddMetadata): flowbits named "traffic/id/NAME" and
// "traffic/label/NAME" become the top-level "traffic" object ({"id":
// [NAME], "label": [NAME]}); the other flowbits, the flowints, the flowvars
// and the packet's pktvars go in "metadata". Variables are listed in the
// order the flow first set them.
#pragma once
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <vector>

#include "detect/var_names.h"
#include "flow/flow.h"

namespace pasban::output {

// Writes nothing when the flow has no variables and there are no pktvars
// (f and pktvars may be null). Otherwise "traffic" (when such flowbits are
// set) and "metadata" (possibly empty, as Suricata does).
void write_var_metadata(rapidjson::Writer<rapidjson::StringBuffer>& w, const flow::Flow* f,
                        const std::vector<detect::PktVar>* pktvars,
                        const detect::VarNames& names);

// Suricata's PrintStringsToBuffer: printable ASCII, CR and LF kept, the
// rest as '.'.
std::string printable_value(std::string_view v);

}  // namespace pasban::output
