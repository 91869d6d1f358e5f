// The heartbeat's privacy fields, kept apart from the sync engine (syncer_extras.cpp adds them):
//   "staff_lockouts_today": how many times the staff PIN locked today (a passer-by trying PINs)
//   "audit": {"head_id", "head_hash", "reported_id", "reported_hash"}
//     head_*      the audit chain's last row now (offline/store/audit.h)
//     reported_*  the head this kiosk last reported in a heartbeat the portal answered (kept in
//                 the settings), and the hash that row has NOW — null when never reported, and
//                 reported_hash null when that row no longer exists.
// The portal keeps the heads it was sent: a head below one it saw means a truncated chain; a
// reported_hash (or a head_hash at an id it knows) that differs from what it recorded means a
// rewritten one (docs/portal.md, "Audit chain"). Codes, counts and hashes only: no personal data.
// Thread-safety: the sync thread's Store.
#pragma once

#include <nlohmann/json.hpp>

#include "offline/domain/clock.h"
#include "offline/store/store.h"

namespace mck {

// The fields to add to the heartbeat body. A store error is returned (the heartbeat is then sent
// without them rather than not at all: the caller decides).
Result<nlohmann::json> PrivacyHeartbeatFields(Store& store, TimePoint now);

// After the portal answered 200 to a heartbeat that carried `fields`: remember its audit head as
// the one reported.
Status RecordHeartbeatReported(Store& store, const nlohmann::json& fields);

}  // namespace mck
