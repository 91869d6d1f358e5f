// The sync engine through its seams: the Syncer against the in-process fake portal with a
// ManualClock. No sockets, no simulator, no sleeps: every pause the engine takes is a
// Clock::WaitUntil that the test releases by moving the clock (or that the clock skips in
// auto-advance mode), and a worker thread is awaited through ManualClock::AwaitWaiters and
// FakePortal::WaitForRequests.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "offline/sync/syncer.h"
#include "tests/support/read_file.h"
#include "tests/sync/fake_portal.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr milliseconds kRealTimeout = seconds(20);  // a thread that never comes is a failure

// A kiosk whose store and sync engine run on one ManualClock, and a fake portal on it too.
struct Bench {
  ManualClock clock{std::chrono::system_clock::now()};
  Kiosk kiosk;
  std::unique_ptr<Store> store = kiosk.OpenStore(&clock);
  FakePortal portal{clock};
  SyncOptions options;
  std::mt19937_64 rng{7};

  Bench() {
    options = kiosk.sync_options();
    options.backoff.base = seconds(2);
    options.backoff.cap = seconds(60);
    options.send_heartbeat = false;  // only the outbox's requests in the record
    options.refresh_catalog = false;
    options.poll_status = false;
    options.seed = 42;
  }
  std::unique_ptr<Syncer> Make() { return std::make_unique<Syncer>(*store, portal, clock, options); }
  std::vector<std::string> Submit(int n, int attachment_every = 0) {
    return kiosk.SubmitDossiers(*store, n, attachment_every, rng);
  }
  // The POSTs of dossiers the portal saw, in order.
  std::vector<SeenRequest> DossierPosts() const {
    std::vector<SeenRequest> out;
    for (auto& r : portal.Requests()) {
      if (r.request.method == "POST" && r.request.path == "/api/v1/dossiers") out.push_back(r);
    }
    return out;
  }
};

milliseconds Between(SteadyPoint a, SteadyPoint b) {
  return std::chrono::duration_cast<milliseconds>(b - a);
}

}  // namespace

TEST_CASE("unit: a 500 then success delivers the dossier exactly once, and not before its retry is due") {
  Bench b;
  auto ids = b.Submit(1, 1);  // with an attachment: HEAD, PATCH, then the POST
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(500));
  auto syncer = b.Make();
  auto first = syncer->RunOnce();
  REQUIRE(first.ok());
  CHECK(first->retried == 1);
  CHECK(first->accepted == 0);
  CHECK(b.store->dossiers().Get(ids[0])->state == DossierState::kQueued);

  auto early = syncer->RunOnce();  // the clock has not moved: the item is not due
  REQUIRE(early.ok());
  CHECK(early->sent == 0);
  CHECK(b.DossierPosts().size() == 1);

  b.clock.Advance(BackoffCeiling(b.options.backoff, 0));
  auto second = syncer->RunOnce();
  REQUIRE(second.ok());
  CHECK(second->accepted == 1);
  CHECK(b.portal.DossierCount() == 1);
  auto rec = b.store->dossiers().Get(ids[0]);
  CHECK(rec->state == DossierState::kAccepted);
  CHECK(rec->dossier_code == b.portal.OfficialCode(ids[0]));
  CHECK(second->attachments_uploaded == 0);  // the upload was not repeated: HEAD said complete
  CHECK(second->bytes_uploaded == 0);
}

TEST_CASE("unit: an answer lost after the portal applied the POST: the repeat gets the same official code") {
  Bench b;
  auto ids = b.Submit(1);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::NoAnswer(TransportFailure::kDropped, true));
  auto syncer = b.Make();
  auto lost = syncer->RunOnce();
  REQUIRE(lost.ok());
  CHECK(lost->sent == 1);  // it left on a connection, so it counts as sent
  CHECK(lost->retried == 1);
  const std::string official = b.portal.OfficialCode(ids[0]);
  REQUIRE_FALSE(official.empty());  // the portal has it already

  b.clock.Advance(BackoffCeiling(b.options.backoff, 0));
  auto again = syncer->RunOnce();
  REQUIRE(again.ok());
  CHECK(again->accepted == 1);
  CHECK(b.store->dossiers().Get(ids[0])->dossier_code == official);
  CHECK(b.portal.DossierCount() == 1);
  auto posts = b.DossierPosts();
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].request.Header("Idempotency-Key") == ids[0]);
  CHECK(posts[1].request.Header("Idempotency-Key") == ids[0]);
  CHECK(posts[1].status == 200);  // a replay, answered with the first answer
}

TEST_CASE("unit: a 429 with Retry-After: the next request comes only after the clock passed it") {
  Bench b;
  b.Submit(2);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(429, "45"));
  auto syncer = b.Make();
  auto pushed_back = syncer->RunOnce();
  REQUIRE(pushed_back.ok());
  REQUIRE(pushed_back->portal_pause);
  CHECK(*pushed_back->portal_pause >= seconds(45));
  CHECK(b.portal.RequestCount() == 1);  // the pass ended: the second dossier was not tried

  b.clock.Advance(seconds(44));
  auto still = syncer->RunOnce();
  REQUIRE(still.ok());
  CHECK(still->sent == 0);
  CHECK(b.portal.RequestCount() == 1);

  // Drain waits out the rest through the clock (simulated time) and delivers both.
  b.clock.set_auto_advance(true);
  auto rest = syncer->Drain();
  REQUIRE(rest.ok());
  CHECK(rest->accepted == 2);
  auto posts = b.DossierPosts();
  REQUIRE(posts.size() == 3);
  CHECK(Between(posts[0].at, posts[1].at) >= seconds(45));
}

TEST_CASE("unit: a pause shorter than a second ends when it says, not at the next whole second") {
  // The pause outlives the process in the store; it was kept in whole seconds, rounded up, and
  // every pass read it back, so a pause of milliseconds lasted until the next second (a drain
  // under 503s spent most of its time there). Now it is kept in milliseconds.
  Bench b;
  b.options.backoff.base = milliseconds(20);
  b.options.backoff.cap = milliseconds(400);
  b.options.backoff.portal_doublings = 0;
  b.Submit(2);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(503));
  auto syncer = b.Make();
  auto pushed_back = syncer->RunOnce();
  REQUIRE(pushed_back.ok());
  REQUIRE(pushed_back->portal_pause);
  CHECK(*pushed_back->portal_pause <= milliseconds(20));  // the first rung's jitter, no Retry-After
  // Just past the pause, by the same clock: the next pass sends, and a new Syncer on the same
  // store (a restarted runner) does not wait longer either.
  b.clock.Advance(*pushed_back->portal_pause + milliseconds(1));
  auto restarted = b.Make();
  auto next = restarted->RunOnce();
  REQUIRE(next.ok());
  CHECK_FALSE(next->portal_pause);
  CHECK(next->accepted == 2);
}

TEST_CASE("unit: a pause kept by an earlier version, in whole seconds, is still honoured after an upgrade") {
  Bench b;
  b.Submit(1);
  const int64_t until = UnixSeconds(b.clock.Now()) + 30;
  REQUIRE(b.store->settings().Put("sync.paused_until_unix", std::to_string(until)).ok());
  auto syncer = b.Make();
  auto paused = syncer->RunOnce();
  REQUIRE(paused.ok());
  REQUIRE(paused->portal_pause);
  CHECK(*paused->portal_pause >= seconds(28));
  CHECK(b.portal.RequestCount() == 0);
  b.clock.Advance(seconds(31));
  auto after = syncer->RunOnce();
  REQUIRE(after.ok());
  CHECK(after->accepted == 1);
  // Taken over: the old key is cleared once the pause ends, the new one holds no pause.
  auto legacy = b.store->settings().Get("sync.paused_until_unix");
  REQUIRE(legacy.ok());
  CHECK((!*legacy || (*legacy)->empty()));
}

TEST_CASE("unit: backoff grows with each failure of an item, within full jitter's ceiling") {
  Bench b;
  b.Submit(1);
  b.options.failures_before_pause = 100;  // the item's own backoff only, no portal pause
  b.options.interval = std::chrono::hours(1);
  constexpr int kFailures = 8;
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(500), kFailures);
  auto syncer = b.Make();
  b.clock.set_auto_advance(true);
  auto sum = syncer->Drain();
  REQUIRE(sum.ok());
  CHECK(sum->accepted == 1);
  auto posts = b.DossierPosts();
  REQUIRE(posts.size() == kFailures + 1);
  milliseconds longest_late{0};
  for (int i = 1; i <= kFailures; ++i) {
    const milliseconds gap = Between(posts[i - 1].at, posts[i].at);
    INFO("gap after failure " << i << ": " << gap.count() << " ms");
    CHECK(gap <= std::max(BackoffCeiling(b.options.backoff, i - 1), milliseconds(20)));
    if (i > kFailures / 2) longest_late = std::max(longest_late, gap);
  }
  // Later failures wait longer than the first ceiling ever allows: the window doubled.
  CHECK(longest_late > BackoffCeiling(b.options.backoff, 1));
}

TEST_CASE("unit: a 422 parks the dossier with the portal's reasons and the queue goes on") {
  Bench b;
  auto ids = b.Submit(3);
  b.portal.Fail("POST /api/v1/dossiers",
                FakeFault::Answer(422, "", json::array({{{"field", "fields.child_dob"}, {"message", "tương lai"}}})));
  auto syncer = b.Make();
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->needs_attention == 1);
  CHECK(sum->accepted == 2);
  CHECK(sum->error.ok());
  int parked = 0;
  for (const auto& id : ids) {
    auto rec = b.store->dossiers().Get(id);
    if (rec->state != DossierState::kNeedsAttention) continue;
    ++parked;
    REQUIRE(rec->needs_attention_details.is_array());
    CHECK(rec->needs_attention_details[0]["field"] == "fields.child_dob");
    CHECK(rec->last_error.value_or("").find("422") != std::string::npos);
  }
  CHECK(parked == 1);
}

TEST_CASE("unit: a 401 stops the pass with kSecurity and nothing else is sent") {
  Bench b;
  b.Submit(3);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(401));
  auto syncer = b.Make();
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->error.code() == Code::kSecurity);
  CHECK(sum->retried == 0);
  CHECK(b.portal.RequestCount() == 1);
  CHECK(b.store->dossiers().List(DossierState::kQueued)->size() == 3);  // leases handed back
}

TEST_CASE("unit: staff's send now drops the portal's pause without the clock moving") {
  Bench b;
  auto ids = b.Submit(1);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(503, "600"));
  auto syncer = b.Make();
  REQUIRE(syncer->RunOnce()->portal_pause);
  CHECK(syncer->RunOnce()->sent == 0);  // paused: the portal asked for ten minutes

  CHECK(b.store->outbox().MakeDueNow().value() == 1);  // what the staff screen's store does
  syncer->ForceNow();
  auto forced = syncer->RunOnce();
  REQUIRE(forced.ok());
  CHECK(forced->accepted == 1);
  CHECK(b.store->dossiers().Get(ids[0])->state == DossierState::kAccepted);
}

TEST_CASE("unit: a heartbeat answered 503 pauses the portal for Retry-After plus jitter, as a dossier does") {
  Bench b;
  b.options.send_heartbeat = true;
  b.options.heartbeat_interval = seconds(300);
  b.options.refresh_catalog = true;  // would be asked in the same pass if the heartbeat went through
  b.portal.Fail("POST /api/v1/kiosks/heartbeat", FakeFault::Answer(503, "600"));
  auto syncer = b.Make();
  auto first = syncer->RunOnce();
  REQUIRE(first.ok());
  REQUIRE(first->portal_pause);
  // Retry-After is the floor, plus the jitter of the first portal pause: up to base x 2^7, capped
  // (60 s in this bench).
  const auto first_ceiling = BackoffCeiling(b.options.backoff, b.options.backoff.portal_doublings);
  CHECK(first_ceiling == seconds(60));
  CHECK(*first->portal_pause >= seconds(600));
  CHECK(*first->portal_pause <= seconds(600) + first_ceiling);
  CHECK(b.portal.RequestCount() == 1);  // nothing more in that pass: no catalog request

  // The worker's next passes (every 30 s) send nothing until the pause is over: the fleet stays
  // quiet instead of asking every pass.
  for (int i = 0; i < 19; ++i) {
    b.clock.Advance(seconds(30));
    REQUIRE(syncer->RunOnce().ok());
  }
  CHECK(b.portal.RequestCount() == 1);
  b.clock.Advance(seconds(90));  // 660 s: past Retry-After + the largest jitter
  REQUIRE(syncer->RunOnce().ok());
  CHECK(b.portal.Succeeded("POST /api/v1/kiosks/heartbeat") == 1);
}

TEST_CASE("unit: one dossier through after many pushbacks does not reset the portal's jitter to its base") {
  Bench b;
  b.options.backoff.cap = seconds(900);
  b.options.backoff.portal_doublings = 0;  // the count alone: pauses from base (2 s) up
  b.Submit(2);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(503, "10"), 8);
  auto syncer = b.Make();
  for (int i = 0; i < 8; ++i) {  // eight pushbacks in a row: the jitter's ceiling grows to 256 s
    auto s = syncer->RunOnce();
    REQUIRE(s.ok());
    REQUIRE(s->portal_pause);
    b.clock.Advance(*s->portal_pause + seconds(1));
  }
  auto through = syncer->RunOnce();  // the portal takes both dossiers
  REQUIRE(through.ok());
  CHECK(through->accepted == 2);
  b.Submit(1);  // the next one is pushed back again
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(503, "10"));
  auto again = syncer->RunOnce();
  REQUIRE(again.ok());
  REQUIRE(again->portal_pause);
  // Reset to zero, the jitter would be at most base (2 s) over Retry-After; kept, it spreads the
  // return over minutes. Seeded (options.seed): the same draw every run.
  CHECK(*again->portal_pause > seconds(10) + b.options.backoff.base);
}

TEST_CASE("unit: the first portal pause with the default policy is spread over minutes, not seconds") {
  // offline/sync's defaults (2 s base, 15 min cap, portal_doublings 7): a province losing the
  // portal together must not come back 2 s later (scripts/bench-province).
  Bench b;
  b.options.backoff = BackoffPolicy{};
  b.options.send_heartbeat = true;
  b.portal.Fail("POST /api/v1/kiosks/heartbeat", FakeFault::NoAnswer(TransportFailure::kCannotConnect), 1000);
  milliseconds longest{0};
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    b.options.seed = seed;
    auto syncer = b.Make();
    auto first = syncer->RunOnce();
    REQUIRE(first.ok());
    REQUIRE(first->portal_pause);
    CHECK(*first->portal_pause <= seconds(256));  // 2 s x 2^7
    longest = std::max(longest, std::chrono::duration_cast<milliseconds>(*first->portal_pause));
    b.clock.Advance(seconds(1000));  // the next kiosk's first failure, not this one's second
  }
  CHECK(longest > seconds(128));  // the whole window is used, far beyond the item base of 2 s
}

TEST_CASE("unit: a heartbeat that cannot connect pauses the portal too") {
  Bench b;
  b.options.send_heartbeat = true;
  b.portal.Fail("POST /api/v1/kiosks/heartbeat", FakeFault::NoAnswer(TransportFailure::kCannotConnect));
  auto syncer = b.Make();
  auto first = syncer->RunOnce();
  REQUIRE(first.ok());
  CHECK(first->portal_pause);
  REQUIRE(syncer->RunOnce().ok());  // at once: still paused, nothing sent
  CHECK(b.portal.RequestCount() == 1);
}

TEST_CASE("unit: the worker sleeps until the next item is due, then until the interval, and wakes on Nudge") {
  Bench b;
  b.options.interval = seconds(30);
  b.Submit(1);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(500));
  auto ui_store = b.kiosk.OpenStore(&b.clock);  // the screen's own connection
  auto syncer = b.Make();
  syncer->Start();

  // First pass: the 500. The worker then sleeps until the item's retry is due.
  auto wake = b.clock.AwaitWaiters(1, kRealTimeout);
  REQUIRE(wake);
  CHECK(b.portal.RequestCount() == 1);
  auto due = ui_store->outbox().NextDue();
  REQUIRE(due.ok());
  REQUIRE(*due);
  CHECK(Between(b.clock.Steady(), *wake) ==
        std::max(milliseconds(20), std::chrono::ceil<milliseconds>(**due - b.clock.Now())));
  CHECK(Between(b.clock.Steady(), *wake) <= BackoffCeiling(b.options.backoff, 0));

  // Just before the due time nothing happens; at the due time the retry goes out.
  b.clock.Advance(Between(b.clock.Steady(), *wake) - milliseconds(1));
  REQUIRE(b.clock.AwaitWaiters(1, kRealTimeout));
  CHECK(b.portal.RequestCount() == 1);
  b.clock.Advance(milliseconds(1));
  REQUIRE(b.portal.WaitForRequests(2, kRealTimeout));

  // Nothing left: the worker sleeps a whole interval.
  wake = b.clock.AwaitWaiters(1, kRealTimeout);
  REQUIRE(wake);
  CHECK(Between(b.clock.Steady(), *wake) == seconds(30));
  CHECK(b.portal.DossierCount() == 1);

  // A citizen submits; the screen nudges; the worker sends at once, the clock unmoved.
  const auto before = b.clock.Steady();
  std::mt19937_64 rng(99);
  b.kiosk.SubmitDossiers(*ui_store, 1, 0, rng);
  syncer->Nudge();
  REQUIRE(b.portal.WaitForRequests(3, kRealTimeout));
  CHECK(b.clock.Steady() == before);
  REQUIRE(b.clock.AwaitWaiters(1, kRealTimeout));
  CHECK(b.portal.DossierCount() == 2);

  syncer->Stop();  // ends the sleep at once
  CHECK_FALSE(syncer->running());
}

TEST_CASE("unit: Stop() during a backoff sleep returns without the clock moving") {
  Bench b;
  b.Submit(1);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::NoAnswer(TransportFailure::kCannotConnect));
  auto syncer = b.Make();
  syncer->Start();
  REQUIRE(b.clock.AwaitWaiters(1, kRealTimeout));  // paused: the portal could not be reached
  syncer->Stop();
  CHECK_FALSE(syncer->running());
  CHECK(b.store->dossiers().List(DossierState::kQueued)->size() == 1);
}

TEST_CASE("unit: the catalog is asked for with its ETag and a heartbeat command fetches it again") {
  Bench b;
  json cat = json::parse(ReadAll(FixtureCatalog()));
  cat["version"] = "2026-12-01.1";
  b.portal.SetCatalog(cat.dump(), "\"v1\"");
  b.options.refresh_catalog = true;
  b.options.catalog_interval = std::chrono::hours(24);
  b.options.send_heartbeat = true;
  b.options.heartbeat_interval = seconds(0);
  auto syncer = b.Make();
  auto first = syncer->RunOnce();
  REQUIRE(first.ok());
  CHECK(first->catalog_updated);
  CHECK(b.store->catalog().Load()->version == "2026-12-01.1");

  auto quiet = syncer->RunOnce();  // not due for a day: not asked
  REQUIRE(quiet.ok());
  CHECK_FALSE(quiet->catalog_updated);
  b.portal.QueueCommand("refresh_catalog");
  auto told = syncer->RunOnce();  // the heartbeat hears the command; the pass asks right after
  REQUIRE(told.ok());
  CHECK_FALSE(told->catalog_updated);  // asked again, with If-None-Match: 304
  int asks = 0;
  for (const auto& r : b.portal.Requests()) {
    if (r.request.path != "/api/v1/procedures") continue;
    ++asks;
    if (asks == 2) {
      CHECK(r.request.Header("If-None-Match") == "\"v1\"");
      CHECK(r.status == 304);
    }
  }
  CHECK(asks == 2);
  const json hb = b.portal.LastHeartbeat();
  CHECK(hb.contains("queue_depth"));
  CHECK(hb.dump().find("Nguyễn") == std::string::npos);
}
