// The "before you start" page (ScreenId::kBeforeStart, screens/before_start.cpp) in words: what
// papers to bring, the fee, how long it takes — built from the chosen procedure in the current
// language, for the screen and for its spoken instruction (speak.before_start, which the
// "Nghe hướng dẫn" button reads through App::SpokenInstruction).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/app/i18n.h"
#include "offline/domain/catalog.h"

namespace mck::app {

// 8000 → "8.000" (Vietnamese thousands dots), 0 → "0".
std::string FormatThousands(int64_t n);

struct BeforeStartText {
  std::vector<std::string> required;  // papers that must be brought, catalog order
  std::vector<std::string> optional;  // papers to bring if the citizen has them
  std::string fee;                    // "Miễn phí" / "8.000 đồng"
  std::string time;                   // "Ngay trong ngày" / "3 ngày làm việc (…)"
  std::string spoken;                 // speak.before_start filled with the above
};

BeforeStartText DescribeBeforeStart(const Procedure& p, const Strings& strings);

}  // namespace mck::app
