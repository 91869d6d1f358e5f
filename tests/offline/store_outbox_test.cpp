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
  for (int i = 0; i < 6; ++i) REQUIRE(a->SubmitDossier(SampleBody(), {}, "v").ok());
  auto first = a->LeaseDue("runner-a", 4, std::chrono::seconds(60)).value();
  auto second = b->LeaseDue("runner-b", 10, std::chrono::seconds(60)).value();
  CHECK(first.size() == 4);
  CHECK(second.size() == 2);
  for (const auto& x : first)
    for (const auto& y : second) CHECK(x.ref != y.ref);
  CHECK(a->ListDossiers(DossierState::kSending).value().size() == 6);
  // Nothing more until a lease expires; then the item goes to whoever asks.
  CHECK(b->LeaseDue("runner-b", 10, std::chrono::seconds(60)).value().empty());
  clock.Advance(std::chrono::seconds(61));
  CHECK(b->LeaseDue("runner-b", 10, std::chrono::seconds(60)).value().size() == 6);
}

TEST_CASE("a retry waits until its due time and counts attempts") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto sub = store->SubmitDossier(SampleBody(), {}, "v").value();
  auto item = store->LeaseDue("r", 1, std::chrono::seconds(60)).value().at(0);
  REQUIRE(store->RecordRetry(item, "HTTP 503", clock.Now() + std::chrono::seconds(30)).ok());
  auto rec = store->GetDossier(sub.client_id).value();
  CHECK(rec.state == DossierState::kQueued);
  CHECK(rec.attempts == 1);
  CHECK(rec.last_error == std::optional<std::string>("HTTP 503"));
  CHECK(store->LeaseDue("r", 1, std::chrono::seconds(60)).value().empty());
  clock.Advance(std::chrono::seconds(30));
  auto again = store->LeaseDue("r", 1, std::chrono::seconds(60)).value();
  REQUIRE(again.size() == 1);
  CHECK(again[0].attempts == 1);
  CHECK(store->QueueDepth() == 1);
}

TEST_CASE("accepted and needs-attention answers are recorded with the portal's data") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto ok = store->SubmitDossier(SampleBody(), {}, "v").value();
  auto bad = store->SubmitDossier(SampleBody(), {}, "v").value();
  auto items = store->LeaseDue("r", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 2);
  auto body = store->OutboxBody(items[0]).value();
  CHECK(body["client_id"] == ok.client_id);
  CHECK(body["provisional_code"] == ok.provisional_code);
  CHECK_FALSE(body.contains("catalog_version"));
  REQUIRE(store->RecordDossierAccepted(items[0], "000.00.24.H03-261126-0017", "2026-11-27", "received").ok());
  json reasons = json::array({{{"field", "fields.child_dob"}, {"message", "Ngày sinh không hợp lệ"}}});
  REQUIRE(store->RecordNeedsAttention(items[1], "HTTP 422 validation_failed", reasons).ok());

  auto a = store->GetDossier("000.00.24.H03-261126-0017").value();
  CHECK(a.state == DossierState::kAccepted);
  CHECK(a.appointment_date == std::optional<std::string>("2026-11-27"));
  CHECK(a.portal_status == std::optional<std::string>("received"));
  auto n = store->GetDossier(bad.client_id).value();
  CHECK(n.state == DossierState::kNeedsAttention);
  CHECK(n.needs_attention_details == reasons);
  CHECK(store->QueueDepth() == 0);
  CHECK(store->LeaseDue("r", 10, std::chrono::seconds(60)).value().empty());

  REQUIRE(store->UpdatePortalStatus(ok.client_id, "processing", "Đang xử lý", "2026-11-26T10:00:00+07:00", "").ok());
  CHECK(store->GetDossier(ok.client_id).value().portal_status == std::optional<std::string>("processing"));
  CHECK(store->GetDossier(ok.client_id).value().appointment_date == std::optional<std::string>("2026-11-27"));

  // Staff fix the parked one and send it again, under the same idempotency key.
  CHECK(store->Requeue(ok.client_id).code() == Code::kFailedPrecondition);
  REQUIRE(store->Requeue(bad.provisional_code).ok());
  auto again = store->LeaseDue("r", 10, std::chrono::seconds(60)).value();
  REQUIRE(again.size() == 1);
  CHECK(again[0].idempotency_key == bad.client_id);
  CHECK(store->Check().value().ok());
}
