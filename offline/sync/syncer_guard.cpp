// The sync engine's guards: no exception leaves a pass or an item (it is logged, counted, and the
// item parked), and the portal-wide pause after 429/503 outlives the process (kept in the store).
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <typeinfo>

#include "offline/sync/backoff.h"
#include "offline/sync/syncer.h"

namespace mck {

namespace {
// Unix milliseconds on the sync clock. Until 2026-12-07 the pause was kept in whole seconds
// (kLegacyPausedUntilKey, rounded up), and every pass reloaded it: a pause of a few
// milliseconds grew to the next whole second, in the running syncer too (a drain under 503s
// spent most of its time there). The legacy key is still read, once, after an upgrade.
constexpr const char* kPausedUntilKey = "sync.paused_until_unix_ms";
constexpr const char* kLegacyPausedUntilKey = "sync.paused_until_unix";

// The stored value: digits only, else nothing.
std::optional<long long> ReadStoredNumber(const Result<std::optional<std::string>>& v) {
  if (!v.ok() || !*v || (*v)->empty()) return std::nullopt;
  char* end = nullptr;
  const long long n = std::strtoll((*v)->c_str(), &end, 10);
  if (end == (*v)->c_str() || *end != '\0') return std::nullopt;  // unreadable: not a pause
  return n;
}

std::string ExceptionName(const std::exception& e) {
  return typeid(e).name();  // the type only: what() may quote the data being read
}
}  // namespace

Syncer::ItemResult Syncer::PoisonAnswer(const Status& why) {
  return {Outcome::kPark,
          Status::Error(Code::kRejected, "portal answer unreadable: " + why.message_en(),
                        "Không đọc được câu trả lời của cổng dịch vụ công; kiểm tra rồi gửi lại"),
          std::nullopt};
}

Syncer::ItemResult Syncer::GuardedSendItem(const OutboxItem& item, std::chrono::steady_clock::time_point lease_end,
                                           SyncSummary& sum) {
  std::string what;
  try {
    return SendItem(item, lease_end, sum);
  } catch (const std::exception& e) {
    what = ExceptionName(e);
  } catch (...) {
    what = "unknown exception";
  }
  ++exceptions_;
  std::cerr << "sync: outbox item " << item.id << " (" << OutboxKindName(item.kind)
            << "): exception while handling it (" << what << "); parked for staff\n";
  return {Outcome::kPark,
          Status::Error(Code::kInternal, "internal error while handling this item (" + what + ")",
                        "Lỗi khi xử lý câu trả lời của cổng dịch vụ công; kiểm tra rồi gửi lại"),
          std::nullopt};
}

Result<SyncSummary> Syncer::GuardedPass() {
  std::string what;
  try {
    return Pass();
  } catch (const std::exception& e) {
    what = ExceptionName(e);
  } catch (...) {
    what = "unknown exception";
  }
  ++exceptions_;
  std::cerr << "sync: pass ended by an exception (" << what << "); the next pass goes on\n";
  return Status::Error(Code::kInternal, "sync pass ended by an exception (" + what + ")",
                       "Lỗi trong khi đồng bộ; sẽ thử lại");
}

void Syncer::LoadPause() {
  TimePoint until;
  if (auto ms = ReadStoredNumber(store_->settings().Get(kPausedUntilKey))) {
    until = TimePoint(std::chrono::milliseconds(*ms));
  } else if (auto s = ReadStoredNumber(store_->settings().Get(kLegacyPausedUntilKey))) {
    until = FromUnixSeconds(*s);
  } else {
    return;
  }
  // A stored pause is never longer than the longest the kiosk would set itself (a clock that
  // jumped back, or a damaged value, must not silence the kiosk for days).
  const TimePoint longest = Now() + kMaxRetryAfter + options_.backoff.cap;
  if (until > longest) until = longest;
  if (until <= Now()) return;
  if (!paused_until_ || until > *paused_until_) paused_until_ = until;
}

void Syncer::SavePause() {
  std::string value;
  if (paused_until_) {
    value = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(paused_until_->time_since_epoch()).count());
  }
  if (Status st = store_->settings().Put(kPausedUntilKey, value); !st.ok()) {
    std::cerr << "sync: portal pause not recorded: " << st.ToString() << "\n";
  }
  // A pause an earlier version kept in seconds is over or taken over now (tried again next time
  // if this fails).
  if (ReadStoredNumber(store_->settings().Get(kLegacyPausedUntilKey))) {
    if (Status st = store_->settings().Put(kLegacyPausedUntilKey, ""); !st.ok()) {
      std::cerr << "sync: old portal pause not cleared: " << st.ToString() << "\n";
    }
  }
}

}  // namespace mck
