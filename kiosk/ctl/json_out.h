// Shared output helpers for kioskctl commands.
#pragma once

#include <nlohmann/json.hpp>

#include <iostream>

#include "offline/store/store.h"

namespace mck::ctl {

inline nlohmann::json SummaryJson(const DossierSummary& d) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"client_id", d.client_id},
          {"provisional_code", d.provisional_code},
          {"procedure_code", d.procedure_code},
          {"state", DossierStateName(d.state)},
          {"dossier_code", opt(d.dossier_code)},
          {"appointment_date", opt(d.appointment_date)},
          {"portal_status", opt(d.portal_status)},
          {"attempts", d.attempts},
          {"last_error", opt(d.last_error)},
          {"submitted_at", d.submitted_at},
          {"purged", d.purged}};
}

inline void PrintJson(const nlohmann::json& j) {
  std::cout << j.dump(2) << "\n";
}

}  // namespace mck::ctl
