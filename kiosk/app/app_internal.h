// Small helpers shared by the App's source files (app.cpp, app_actions.cpp, app_events.cpp).
#pragma once

#include <algorithm>
#include <string>

#include "kiosk/app/services.h"
#include "offline/domain/catalog.h"

namespace mck::app::internal {

inline bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// DDMMYYYY (as typed on the pad) → YYYY-MM-DD; anything else is passed on unchanged so that
// validation reports it as an invalid date.
inline std::string DateDigitsToIso(const std::string& d) {
  if (d.size() != 8 || !std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; })) return d;
  return d.substr(4, 4) + "-" + d.substr(2, 2) + "-" + d.substr(0, 2);
}

// YYYY-MM-DD → DDMMYYYY (how the pad holds dates); empty when it is not that shape.
inline std::string IsoToDateDigits(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return {};
  return iso.substr(8, 2) + iso.substr(5, 2) + iso.substr(0, 4);
}

}  // namespace mck::app::internal
