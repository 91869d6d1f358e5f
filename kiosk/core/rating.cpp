#include "kiosk/core/rating.h"

#include <algorithm>

#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

namespace mck::core {

const std::vector<std::string>& RatingCriteria() {
  static const std::vector<std::string> kCriteria = {"overall", "convenience", "staff_attitude", "reception",
                                                     "transparency"};
  return kCriteria;
}

Result<std::string> SubmitRating(Store& store, RatingInput in) {
  Rating r;
  r.dossier_code = in.dossier_code;
  r.counter = in.counter;
  r.scores = nlohmann::json::object();
  for (const auto& [criterion, score] : in.scores) {
    const auto& known = RatingCriteria();
    if (std::find(known.begin(), known.end(), criterion) == known.end() || score < 1 || score > 5) {
      SecureWipe(in.comment);
      return Status::Error(Code::kInvalidArgument, "unknown criterion or score out of 1..5",
                           "Tiêu chí hoặc điểm đánh giá không hợp lệ");
    }
    r.scores[criterion] = score;
  }
  if (r.scores.empty()) {
    SecureWipe(in.comment);
    return Status::Error(Code::kInvalidArgument, "no criterion scored", "Vui lòng chọn ít nhất một mức đánh giá");
  }
  r.comment = Trim(in.comment);
  SecureWipe(in.comment);
  auto key = store.ratings().Submit(r);
  SecureWipe(r.comment);
  return key;
}

}  // namespace mck::core
