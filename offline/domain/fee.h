// The fee of one submission (issue 13): the catalog's `fee_vnd`, grown by its optional
// `fee_rule` from the form's numbers (copies, pages). The amount printed, shown and put in the
// VietQR is this, computed once at submission from the dossier's own values and stored with it —
// never recomputed from a screen's state.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "offline/domain/catalog.h"
#include "offline/domain/status.h"

namespace mck {

// `value(field_id)` gives the form's value ("" when absent). kInvalidArgument when a number the
// rule needs is missing or not a whole number ≥ 1.
Result<int64_t> ComputeFee(const Procedure& p, const std::function<std::string(const std::string&)>& value);

// "8.000 đồng" (thousands with dots, as Vietnamese writes them); 0 → "Miễn phí" / "Free".
std::string FormatVnd(int64_t amount_vnd, bool english = false);

}  // namespace mck
