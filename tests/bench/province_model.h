// A simulated province: thousands of kiosks, one process, one simulated clock (a discrete-event
// loop in milliseconds), each kiosk's sync worker as offline/sync/syncer.cpp runs it (a pass sends
// the due dossiers one after the other, a 429/503 or an unreachable portal pauses the whole portal
// for the kiosk, a heartbeat when due at the end of a pass that is not paused, a pass every
// `interval` when idle, sooner on a new dossier), with the REAL retry policy of offline/sync
// (BackoffPolicy, BackoffDelay's full jitter, ParseRetryAfter, SyncOptions' cadences), against a
// portal with a capacity (requests per second; beyond it: 503 with Retry-After) that goes down
// for a while and comes back. For scripts/bench-province (figures) and a small ctest of the
// model's invariants (province_model_test.cpp). Not modelled: attachments (one request per
// dossier), status polls and catalog refreshes (docs/sync.md "Fleet after an outage").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "offline/sync/backoff.h"

namespace mck::province {

enum class RetryMode {
  kReal,      // offline/sync's policy: full jitter, Retry-After honoured (BackoffDelay)
  kNoJitter,  // exponential backoff without jitter, Retry-After honoured
  kOff,       // no backoff, no jitter, Retry-After ignored: a fixed retry every `policy.base`
};

const char* RetryModeName(RetryMode m);

struct ProvinceParams {
  int kiosks = 3321;
  uint64_t seed = 1;
  RetryMode mode = RetryMode::kReal;
  BackoffPolicy policy;  // offline/sync's defaults unless a test changes them
  // Dossiers per kiosk per working day: uniform in [min, max] per kiosk, Poisson arrivals over the
  // office hours 07:30–11:30 and 13:30–17:00 (Vietnam time; times below are ms since 00:00).
  int dossiers_min = 20, dossiers_max = 60;
  int64_t start_ms = 7 * 3600'000LL;
  int64_t end_ms = 31 * 3600'000LL;  // the run stops here at the latest (07:00 the next day)
  int64_t outage_start_ms = 8 * 3600'000LL;
  int64_t outage_ms = 6 * 3600'000LL;  // 0: no outage
  int capacity_per_s = 0;              // requests the portal serves per second; 0: unlimited
  int retry_after_s = 120;             // the portal's Retry-After on a 503
  int64_t latency_ms = 200;            // a served request, end to end
  int64_t refused_latency_ms = 20;     // a 503, or a connection refused while the portal is down
  // SyncOptions' defaults (offline/sync/syncer.h): read from there by the bench.
  int64_t interval_ms = 30'000, heartbeat_ms = 300'000;
};

struct ProvinceResult {
  std::vector<int64_t> offered_per_min;  // requests that reached the portal's front, per minute of the day
  std::vector<int64_t> served_per_min;
  int64_t dossiers = 0, delivered = 0, duplicates = 0;
  int64_t requests = 0, refused_503 = 0, refused_down = 0, heartbeats = 0;
  int64_t max_served_in_a_second = 0;
  int64_t sent_while_paused = 0;    // requests a kiosk sent inside its own pause: must stay 0
  int64_t backlog_drained_ms = -1;  // when the last dossier made before the recovery was accepted
  int64_t all_drained_ms = -1;      // when every queue was empty after the last arrival
};

ProvinceResult RunProvince(const ProvinceParams& p);

// Mean requests per minute over [from, to) of a run (the steady rate of a day without outage).
double MeanPerMinute(const std::vector<int64_t>& per_min, int64_t from_ms, int64_t to_ms);
// The highest minute over [from, to).
int64_t PeakPerMinute(const std::vector<int64_t>& per_min, int64_t from_ms, int64_t to_ms);

}  // namespace mck::province
