// The outbox: leases, answers recorded in one transaction, retries, staff re-queue.
#include <catch2/catch.hpp>

#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

TEST_CASE("two runners never hold the same outbox item at once") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const auto opts = TestOptions(dir, &clock);
  auto a = OpenStore(opts);
  auto b = OpenStore(opts);  // a second connection, as a second runner would have
  for (int i = 0; i < 6; ++i) REQUIRE(a->dossiers().Submit(SampleBody(), {}, "v").ok());
  auto first = a->outbox().Lease("runner-a", 4, std::chrono::seconds(60)).value();
  auto second = b->outbox().Lease("runner-b", 10, std::chrono::seconds(60)).value();
  CHECK(first.size() == 4);
  CHECK(second.size() == 2);
  for (const auto& x : first)
    for (const auto& y : second) CHECK(x.ref != y.ref);
  CHECK(a->dossiers().List(DossierState::kSending).value().size() == 6);
  // Nothing more until a lease expires; then the item goes to whoever asks.
  CHECK(b->outbox().Lease("runner-b", 10, std::chrono::seconds(60)).value().empty());
  clock.Advance(std::chrono::seconds(61));
  CHECK(b->outbox().Lease("runner-b", 10, std::chrono::seconds(60)).value().size() == 6);
}

TEST_CASE("a runner that stalled past its lease cannot clear the lease another runner now holds") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const auto opts = TestOptions(dir, &clock);
  auto a = OpenStore(opts);
  auto b = OpenStore(opts);
  auto sub = a->dossiers().Submit(SampleBody(), {}, "v").value();
  const OutboxItem stale = a->outbox().Lease("runner-a", 1, std::chrono::seconds(60)).value().at(0);
  clock.Advance(std::chrono::seconds(61));  // runner a stalls (a frozen process, a slow disk) past its lease
  auto taken = b->outbox().Lease("runner-b", 1, std::chrono::seconds(60)).value();
  REQUIRE(taken.size() == 1);
  CHECK(taken[0].lease_owner == "runner-b");

  // Runner a wakes up and reports what it saw: none of it may hand the item to a third runner
  // while b is sending it, nor count an attempt b has not made.
  REQUIRE(a->outbox().RecordRetry(stale, "HTTP 503", clock.Now() + std::chrono::seconds(30)).ok());
  REQUIRE(a->outbox().Release(stale).ok());
  REQUIRE(a->outbox().RecordNeedsAttention(stale, "HTTP 422", json::array()).ok());
  CHECK(a->outbox().Lease("runner-c", 10, std::chrono::seconds(60)).value().empty());
  auto rec = a->dossiers().Get(sub.client_id).value();
  CHECK(rec.state == DossierState::kSending);
  CHECK(rec.attempts == 0);
  CHECK(a->outbox().Depth().value() == 1);

  // The holder's own outcome is recorded as usual.
  REQUIRE(b->outbox().RecordRetry(taken[0], "HTTP 503", clock.Now() + std::chrono::seconds(30)).ok());
  rec = a->dossiers().Get(sub.client_id).value();
  CHECK(rec.state == DossierState::kQueued);
  CHECK(rec.attempts == 1);
  // A runner whose lease merely expired, with nobody else taking the item, still records its own.
  clock.Advance(std::chrono::seconds(30));
  const OutboxItem late = a->outbox().Lease("runner-a", 1, std::chrono::seconds(60)).value().at(0);
  clock.Advance(std::chrono::seconds(90));
  REQUIRE(a->outbox().RecordRetry(late, "HTTP 503", clock.Now()).ok());
  CHECK(a->dossiers().Get(sub.client_id).value().attempts == 2);
}

TEST_CASE("a retry waits until its due time and counts attempts") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto sub = store->dossiers().Submit(SampleBody(), {}, "v").value();
  auto item = store->outbox().Lease("r", 1, std::chrono::seconds(60)).value().at(0);
  REQUIRE(store->outbox().RecordRetry(item, "HTTP 503", clock.Now() + std::chrono::seconds(30)).ok());
  auto rec = store->dossiers().Get(sub.client_id).value();
  CHECK(rec.state == DossierState::kQueued);
  CHECK(rec.attempts == 1);
  CHECK(rec.last_error == std::optional<std::string>("HTTP 503"));
  CHECK(store->outbox().Lease("r", 1, std::chrono::seconds(60)).value().empty());
  clock.Advance(std::chrono::seconds(30));
  auto again = store->outbox().Lease("r", 1, std::chrono::seconds(60)).value();
  REQUIRE(again.size() == 1);
  CHECK(again[0].attempts == 1);
  CHECK(store->outbox().Depth().value() == 1);
}

TEST_CASE("accepted and needs-attention answers are recorded with the portal's data") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto ok = store->dossiers().Submit(SampleBody(), {}, "v").value();
  auto bad = store->dossiers().Submit(SampleBody(), {}, "v").value();
  auto items = store->outbox().Lease("r", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 2);
  auto body = store->outbox().Body(items[0]).value();
  CHECK(body["client_id"] == ok.client_id);
  CHECK(body["provisional_code"] == ok.provisional_code);
  CHECK_FALSE(body.contains("catalog_version"));
  REQUIRE(store->outbox().RecordAccepted(items[0], "000.00.24.H03-261126-0017", "2026-11-27", "received").ok());
  json reasons = json::array({{{"field", "fields.child_dob"}, {"message", "Ngày sinh không hợp lệ"}}});
  REQUIRE(store->outbox().RecordNeedsAttention(items[1], "HTTP 422 validation_failed", reasons).ok());

  auto a = store->dossiers().Get("000.00.24.H03-261126-0017").value();
  CHECK(a.state == DossierState::kAccepted);
  CHECK(a.appointment_date == std::optional<std::string>("2026-11-27"));
  CHECK(a.portal_status == std::optional<std::string>("received"));
  auto n = store->dossiers().Get(bad.client_id).value();
  CHECK(n.state == DossierState::kNeedsAttention);
  CHECK(n.needs_attention_details == reasons);
  CHECK(store->outbox().Depth().value() == 0);
  CHECK(store->outbox().Lease("r", 10, std::chrono::seconds(60)).value().empty());

  REQUIRE(store->dossiers()
              .UpdatePortalStatus(ok.client_id, "processing", "Đang xử lý", "2026-11-26T10:00:00+07:00", "")
              .ok());
  CHECK(store->dossiers().Get(ok.client_id).value().portal_status == std::optional<std::string>("processing"));
  CHECK(store->dossiers().Get(ok.client_id).value().appointment_date == std::optional<std::string>("2026-11-27"));

  // Staff fix the parked one and send it again, under the same idempotency key.
  CHECK(store->outbox().Requeue(ok.client_id).code() == Code::kFailedPrecondition);
  REQUIRE(store->outbox().Requeue(bad.provisional_code).ok());
  auto again = store->outbox().Lease("r", 10, std::chrono::seconds(60)).value();
  REQUIRE(again.size() == 1);
  CHECK(again[0].idempotency_key == bad.client_id);
  CHECK(store->Check().value().ok());
}
