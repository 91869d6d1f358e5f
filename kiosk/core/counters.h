// The name of a queue counter, from the catalog: the one rule for the citizen's ticket, the
// staff screen and kioskctl.
//
// A counter is named by EVERY field (lĩnh vực) routed to it, in catalog order, joined with ", "
// ("Bảo trợ xã hội, Giảm nghèo"). Why not the first field only, as the citizen's ticket once did:
// a citizen who came for a "Giảm nghèo" procedure holds a ticket, and reads the screen above the
// counter, that must name what they came for; the first field alone sends them looking for
// another counter.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "offline/domain/catalog.h"

namespace mck::core {

std::string CounterName(const Catalog& catalog, const std::string& counter);

struct CounterInfo {
  std::string counter;  // "HT"
  std::string name;     // CounterName()
};
// Every counter of the catalog, in catalog order, with its name.
std::vector<CounterInfo> Counters(const Catalog& catalog);

}  // namespace mck::core
