// The store's dossier life: submit, codes, attachments, catalog, tickets, retention.
#include <catch2/catch.hpp>

#include <regex>

#include "offline/domain/ids.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

TEST_CASE("a submitted dossier is stored whole and read back exactly") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  std::vector<NewAttachment> atts = {{"giay-chung-sinh.jpg", "image/jpeg", std::string(5000, 'x') + "JPEG"},
                                     {"to-khai.pdf", "application/pdf", "%PDF-1.4 tờ khai"}};
  auto sub = store->SubmitDossier(SampleBody(), atts, "test-1");
  REQUIRE(sub.ok());
  CHECK(IsUuid(sub->client_id));
  CHECK(sub->provisional_code == "K07-261126-0001");
  CHECK(sub->submitted_at == "2026-11-26T09:00:00+07:00");

  auto rec = store->GetDossier(sub->provisional_code);
  REQUIRE(rec.ok());
  CHECK(rec->state == DossierState::kQueued);
  CHECK(rec->catalog_version == "test-1");
  CHECK(rec->body["applicant"]["full_name"] == "Nguyễn Thị Hoà");
  CHECK(rec->body["client_id"] == sub->client_id);
  CHECK(rec->body["provisional_code"] == sub->provisional_code);
  REQUIRE(rec->body["attachments"].size() == 2);
  CHECK(rec->body["attachments"][0]["sha256"] == Sha256Hex(atts[0].data));
  CHECK(rec->body["attachments"][0]["size"] == 5004);
  auto bytes = store->GetAttachment(Sha256Hex(atts[1].data));
  REQUIRE(bytes.ok());
  CHECK(*bytes == atts[1].data);
  auto infos = store->DossierAttachments(sub->client_id);
  REQUIRE(infos.ok());
  CHECK(infos->size() == 2);
  CHECK(store->GetDossier(sub->client_id).ok());
  CHECK(store->GetDossier("K07-261126-9999").status().code() == Code::kNotFound);
}

TEST_CASE("provisional codes count up within a day and restart the next day, in Vietnam time") {
  TempDir dir;
  ManualClock clock(*ParseRfc3339("2026-11-26T16:59:00Z"));  // 23:59 in Vietnam
  auto store = OpenStore(TestOptions(dir, &clock));
  std::vector<std::string> codes;
  for (int i = 0; i < 3; ++i) codes.push_back(store->SubmitDossier(SampleBody(), {}, "v").value().provisional_code);
  clock.Advance(std::chrono::minutes(2));  // 00:01 on the 27th
  codes.push_back(store->SubmitDossier(SampleBody(), {}, "v").value().provisional_code);
  CHECK(codes == std::vector<std::string>{"K07-261126-0001", "K07-261126-0002", "K07-261126-0003", "K07-261127-0001"});
  const std::regex shape("K[0-9]{2}-[0-9]{6}-[0-9]{4}");
  for (const auto& c : codes) CHECK(std::regex_match(c, shape));
}

TEST_CASE("the store reopens with its data and the same schema version") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const auto opts = TestOptions(dir, &clock);
  std::string id;
  {
    auto store = OpenStore(opts);
    id = store->SubmitDossier(SampleBody(), {}, "v").value().client_id;
  }
  auto store = OpenStore(opts);
  CHECK(store->GetDossier(id).ok());
  CHECK(store->SubmitDossier(SampleBody(), {}, "v").value().provisional_code == "K07-261126-0002");
  auto list = store->ListDossiers();
  REQUIRE(list.ok());
  CHECK(list->size() == 2);
  CHECK(store->ListDossiers(DossierState::kAccepted).value().empty());
}

TEST_CASE("the catalog comes from the seed until the portal sends one") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir, nullptr));
  auto c = store->LoadCatalog();
  REQUIRE(c.ok());
  CHECK(c->version == "test-1");
  CHECK(store->CachedCatalogRaw().value().etag.empty());
  std::string body = ReadAll(dir.path() / "procedures.json");
  body.replace(body.find("test-1"), 6, "test-2");
  REQUIRE(store->PutCatalog("\"abc\"", body).ok());
  CHECK(store->LoadCatalog().value().version == "test-2");
  CHECK(store->CachedCatalogRaw().value().etag == "\"abc\"");
  // A broken catalog from the portal is refused and the cached one stays.
  CHECK_FALSE(store->PutCatalog("\"x\"", "{\"version\": 1}").ok());
  CHECK(store->LoadCatalog().value().version == "test-2");
}

TEST_CASE("queue ticket numbers count per counter, restart daily, and only issued tickets are called") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto t1 = store->ReserveTicket("HT", std::nullopt).value();
  auto t2 = store->ReserveTicket("HT", std::nullopt).value();
  auto c1 = store->ReserveTicket("CT", std::nullopt).value();
  CHECK(t1.number == 1);
  CHECK(t2.number == 2);
  CHECK(c1.number == 1);
  REQUIRE(store->SetTicketState(t1.id, "issued").ok());
  REQUIRE(store->SetTicketState(t2.id, "print_failed").ok());
  CHECK(store->WaitingTickets("HT").value() == 1);
  auto called = store->CallNextTicket("HT");
  REQUIRE(called.ok());
  CHECK(called->number == 1);
  CHECK(called->state == "called");
  CHECK(store->CallNextTicket("HT").status().code() == Code::kNotFound);
  // The number whose ticket did not print is listed for staff to reprint; once reprinted it
  // waits in its place.
  auto failed = store->TodaysTickets("print_failed");
  REQUIRE(failed.ok());
  REQUIRE(failed->size() == 1);
  CHECK(failed->front().id == t2.id);
  CHECK(failed->front().counter == "HT");
  CHECK(failed->front().number == 2);
  REQUIRE(store->SetTicketState(t2.id, "issued").ok());
  CHECK(store->TodaysTickets("print_failed")->empty());
  CHECK(store->CallNextTicket("HT").value().number == 2);
  REQUIRE(store->SetTicketState(c1.id, "print_failed").ok());
  clock.Advance(std::chrono::hours(24));
  CHECK(store->TodaysTickets("print_failed")->empty());  // yesterday's are not today's queue
  CHECK(store->ReserveTicket("HT", std::nullopt).value().number == 1);
}

TEST_CASE("personal data is purged after the retention period - codes, states and audit rows stay") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  const std::string shared_bytes = "shared attachment";
  auto accepted = store->SubmitDossier(SampleBody(), {{"a.jpg", "image/jpeg", shared_bytes}}, "v").value();
  auto waiting = store->SubmitDossier(SampleBody("Lê Văn Bình"), {{"b.jpg", "image/jpeg", "other"}}, "v").value();
  auto items = store->LeaseDue("test", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 2);
  REQUIRE(store->RecordDossierAccepted(items[0], "000.00.24.H03-261126-0001", "2026-11-27", "received").ok());
  REQUIRE(store->RecordRetry(items[1], "portal unreachable", clock.Now()).ok());

  clock.Advance(std::chrono::hours(24 * 29));
  CHECK(store->PurgeExpired().value() == 0);
  clock.Advance(std::chrono::hours(24 * 2));
  const int64_t audit_before = store->Check().value().audit_rows;
  CHECK(store->PurgeExpired().value() == 1);

  auto rec = store->GetDossier("000.00.24.H03-261126-0001");
  REQUIRE(rec.ok());
  CHECK(rec->purged);
  CHECK(rec->body.is_null());
  CHECK(rec->provisional_code == accepted.provisional_code);
  CHECK(rec->state == DossierState::kAccepted);
  CHECK(store->GetAttachment(Sha256Hex(shared_bytes)).status().code() == Code::kNotFound);
  // The dossier still waiting for the portal keeps everything.
  auto other = store->GetDossier(waiting.client_id).value();
  CHECK(other.body["applicant"]["full_name"] == "Lê Văn Bình");
  CHECK(store->GetAttachment(Sha256Hex("other")).ok());
  auto check = store->Check().value();
  CHECK(check.ok());
  CHECK(check.audit_rows == audit_before + 1);
}

TEST_CASE("counter decisions read back by any of the dossier's codes, and purge keeps only their word") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto d = store->SubmitDossier(SampleBody(), {}, "v").value();
  auto items = store->LeaseDue("test", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 1);
  REQUIRE(store->RecordDossierAccepted(items[0], "000.00.24.H03-261126-0009", "2026-11-27", "received").ok());
  const json refuse_reason = "Bà Hoà thiếu giấy chứng sinh";
  REQUIRE(store
              ->SubmitDecision(d.client_id, {{"decision", "request_supplement"},
                                             {"officer", "CB01"},
                                             {"reason", refuse_reason},
                                             {"supplement", {"Giấy chứng sinh"}}})
              .ok());
  REQUIRE(store
              ->SubmitDecision(
                  "000.00.24.H03-261126-0009",
                  {{"decision", "accept"},
                   {"officer", "CB01"},
                   {"documents_received", {{{"id", "birth_certificate"}, {"form", "original"}, {"count", 1}}}}})
              .ok());
  auto rec = store->GetDossier(d.provisional_code).value();
  auto decisions = store->DecisionsFor(rec);
  REQUIRE(decisions.ok());
  REQUIRE(decisions->size() == 2);
  CHECK((*decisions)[0].decision == "request_supplement");
  CHECK((*decisions)[0].body["reason"] == refuse_reason);
  CHECK((*decisions)[1].decision == "accept");
  CHECK((*decisions)[1].state == "queued");
  CHECK((*decisions)[1].body["documents_received"][0]["id"] == "birth_certificate");
  CHECK_FALSE((*decisions)[1].decided_at.empty());
  // Deliver the first; the second stays queued.
  auto out = store->LeaseDue("test", 10, std::chrono::seconds(60)).value();
  REQUIRE(out.size() == 2);
  REQUIRE(store->RecordDelivered(out[0]).ok());
  REQUIRE(store->RecordRetry(out[1], "portal unreachable", clock.Now()).ok());
  clock.Advance(std::chrono::hours(24 * 31));
  CHECK(store->PurgeExpired().value() == 1);
  decisions = store->DecisionsFor(rec);
  REQUIRE(decisions->size() == 2);
  CHECK((*decisions)[0].body == json{{"decision", "request_supplement"}, {"purged", true}});
  CHECK((*decisions)[1].body["documents_received"].is_array());  // still to be sent: whole
  CHECK(store->Check().value().ok());
}

TEST_CASE("send now brings retries forward but leaves a runner's lease alone") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  store->SubmitDossier(SampleBody(), {}, "v").value();
  store->SubmitDossier(SampleBody("Lê Văn Bình"), {}, "v").value();
  auto items = store->LeaseDue("a", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 2);
  REQUIRE(store->RecordRetry(items[0], "portal unreachable", clock.Now() + std::chrono::minutes(30)).ok());
  // items[1] stays leased by runner "a".
  CHECK(store->LeaseDue("b", 10, std::chrono::seconds(60))->empty());
  CHECK(store->MakeOutboxDueNow().value() == 1);
  auto now_due = store->LeaseDue("b", 10, std::chrono::seconds(60)).value();
  REQUIRE(now_due.size() == 1);
  CHECK(now_due[0].ref == items[0].ref);
  CHECK(store->MakeOutboxDueNow().value() == 0);
  CHECK(store->Check().value().ok());
}

TEST_CASE("ratings are validated, stored and queued for the portal") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir, nullptr));
  Rating bad{std::nullopt, "HT", json{{"overall", 6}}, ""};
  CHECK(store->SubmitRating(bad).status().code() == Code::kInvalidArgument);
  Rating good{std::string("000.00.24.H03-261126-0001"), "HT", json{{"overall", 5}, {"attitude", 4}},
              "Cán bộ nhiệt tình"};
  auto key = store->SubmitRating(good);
  REQUIRE(key.ok());
  auto items = store->LeaseDue("t", 10, std::chrono::seconds(30)).value();
  REQUIRE(items.size() == 1);
  CHECK(items[0].kind == "rating");
  auto body = store->OutboxBody(items[0]).value();
  CHECK(body["comment"] == "Cán bộ nhiệt tình");
  CHECK(body["scores"]["overall"] == 5);
  REQUIRE(store->RecordDelivered(items[0]).ok());
  CHECK(store->LeaseDue("t", 10, std::chrono::seconds(30)).value().empty());
}
