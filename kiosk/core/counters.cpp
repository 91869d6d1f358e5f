#include "kiosk/core/counters.h"

#include <algorithm>

namespace mck::core {

std::string CounterName(const Catalog& catalog, const std::string& counter) {
  std::vector<std::string> fields;
  for (const auto& p : catalog.procedures) {
    if (p.counter != counter || p.field.empty()) continue;
    if (std::find(fields.begin(), fields.end(), p.field) == fields.end()) fields.push_back(p.field);
  }
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + f;
  return out;
}

std::vector<CounterInfo> Counters(const Catalog& catalog) {
  std::vector<CounterInfo> out;
  for (const auto& c : catalog.Counters()) out.push_back({c, CounterName(catalog, c)});
  return out;
}

}  // namespace mck::core
