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
  auto sub = store->dossiers().Submit(SampleBody(), atts, "test-1");
  REQUIRE(sub.ok());
  CHECK(IsUuid(sub->client_id));
  CHECK(sub->provisional_code == "K07-261126-0001");
  CHECK(sub->submitted_at == "2026-11-26T09:00:00+07:00");

  auto rec = store->dossiers().Get(sub->provisional_code);
  REQUIRE(rec.ok());
  CHECK(rec->state == DossierState::kQueued);
  CHECK(rec->catalog_version == "test-1");
  CHECK(rec->body["applicant"]["full_name"] == "Nguyễn Thị Hoà");
  CHECK(rec->body["client_id"] == sub->client_id);
  CHECK(rec->body["provisional_code"] == sub->provisional_code);
  REQUIRE(rec->body["attachments"].size() == 2);
  CHECK(rec->body["attachments"][0]["sha256"] == Sha256Hex(atts[0].data));
  CHECK(rec->body["attachments"][0]["size"] == 5004);
  auto bytes = store->dossiers().Attachment(Sha256Hex(atts[1].data));
  REQUIRE(bytes.ok());
  CHECK(*bytes == atts[1].data);
  auto infos = store->dossiers().Attachments(sub->client_id);
  REQUIRE(infos.ok());
  CHECK(infos->size() == 2);
  CHECK(store->dossiers().Get(sub->client_id).ok());
  CHECK(store->dossiers().Get("K07-261126-9999").status().code() == Code::kNotFound);
}

TEST_CASE("provisional codes count up within a day and restart the next day, in Vietnam time") {
  TempDir dir;
  ManualClock clock(*ParseRfc3339("2026-11-26T16:59:00Z"));  // 23:59 in Vietnam
  auto store = OpenStore(TestOptions(dir, &clock));
  std::vector<std::string> codes;
  for (int i = 0; i < 3; ++i) codes.push_back(store->dossiers().Submit(SampleBody(), {}, "v").value().provisional_code);
  clock.Advance(std::chrono::minutes(2));  // 00:01 on the 27th
  codes.push_back(store->dossiers().Submit(SampleBody(), {}, "v").value().provisional_code);
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
    id = store->dossiers().Submit(SampleBody(), {}, "v").value().client_id;
  }
  auto store = OpenStore(opts);
  CHECK(store->dossiers().Get(id).ok());
  CHECK(store->dossiers().Submit(SampleBody(), {}, "v").value().provisional_code == "K07-261126-0002");
  auto list = store->dossiers().List();
  REQUIRE(list.ok());
  CHECK(list->size() == 2);
  CHECK(store->dossiers().List(DossierState::kAccepted).value().empty());
}

TEST_CASE("the catalog comes from the seed until the portal sends one") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir, nullptr));
  auto c = store->catalog().Load();
  REQUIRE(c.ok());
  CHECK(c->version == "test-1");
  CHECK(store->catalog().Raw().value().etag.empty());
  std::string body = ReadAll(dir.path() / "procedures.json");
  body.replace(body.find("test-1"), 6, "test-2");
  REQUIRE(store->catalog().Put("\"abc\"", body).ok());
  CHECK(store->catalog().Load().value().version == "test-2");
  CHECK(store->catalog().Raw().value().etag == "\"abc\"");
  // A broken catalog from the portal is refused and the cached one stays.
  CHECK_FALSE(store->catalog().Put("\"x\"", "{\"version\": 1}").ok());
  CHECK(store->catalog().Load().value().version == "test-2");
}

TEST_CASE("queue ticket numbers count per counter, restart daily, and only issued tickets are called") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto t1 = store->tickets().Reserve("HT", std::nullopt).value();
  auto t2 = store->tickets().Reserve("HT", std::nullopt).value();
  auto c1 = store->tickets().Reserve("CT", std::nullopt).value();
  CHECK(t1.number == 1);
  CHECK(t2.number == 2);
  CHECK(c1.number == 1);
  REQUIRE(store->tickets().SetState(t1.id, TicketState::kIssued).ok());
  REQUIRE(store->tickets().SetState(t2.id, TicketState::kPrintFailed).ok());
  CHECK(store->tickets().Waiting("HT").value() == 1);
  auto called = store->tickets().CallNext("HT");
  REQUIRE(called.ok());
  CHECK(called->number == 1);
  CHECK(called->state == TicketState::kCalled);
  CHECK(store->tickets().CallNext("HT").status().code() == Code::kNotFound);
  // The number whose ticket did not print is listed for staff to reprint; once reprinted it
  // waits in its place.
  auto failed = store->tickets().Today(TicketState::kPrintFailed);
  REQUIRE(failed.ok());
  REQUIRE(failed->size() == 1);
  CHECK(failed->front().id == t2.id);
  CHECK(failed->front().counter == "HT");
  CHECK(failed->front().number == 2);
  REQUIRE(store->tickets().SetState(t2.id, TicketState::kIssued).ok());
  CHECK(store->tickets().Today(TicketState::kPrintFailed)->empty());
  CHECK(store->tickets().CallNext("HT").value().number == 2);
  REQUIRE(store->tickets().SetState(c1.id, TicketState::kPrintFailed).ok());
  clock.Advance(std::chrono::hours(24));
  CHECK(store->tickets().Today(TicketState::kPrintFailed)->empty());  // yesterday's are not today's queue
  CHECK(store->tickets().Reserve("HT", std::nullopt).value().number == 1);
}

TEST_CASE("personal data is purged after the retention period - codes, states and audit rows stay") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  const std::string shared_bytes = "shared attachment";
  auto accepted = store->dossiers().Submit(SampleBody(), {{"a.jpg", "image/jpeg", shared_bytes}}, "v").value();
  auto waiting = store->dossiers().Submit(SampleBody("Lê Văn Bình"), {{"b.jpg", "image/jpeg", "other"}}, "v").value();
  auto items = store->outbox().Lease("test", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 2);
  REQUIRE(store->outbox().RecordAccepted(items[0], "000.00.24.H03-261126-0001", "2026-11-27", "received").ok());
  REQUIRE(store->outbox().RecordRetry(items[1], "portal unreachable", clock.Now()).ok());

  clock.Advance(std::chrono::hours(24 * 29));
  CHECK(store->PurgeExpired().value() == 0);
  clock.Advance(std::chrono::hours(24 * 2));
  const int64_t audit_before = store->Check().value().audit_rows;
  CHECK(store->PurgeExpired().value() == 1);

  auto rec = store->dossiers().Get("000.00.24.H03-261126-0001");
  REQUIRE(rec.ok());
  CHECK(rec->purged);
  CHECK(rec->body.is_null());
  CHECK(rec->provisional_code == accepted.provisional_code);
  CHECK(rec->state == DossierState::kAccepted);
  CHECK(store->dossiers().Attachment(Sha256Hex(shared_bytes)).status().code() == Code::kNotFound);
  // The dossier still waiting for the portal keeps everything.
  auto other = store->dossiers().Get(waiting.client_id).value();
  CHECK(other.body["applicant"]["full_name"] == "Lê Văn Bình");
  CHECK(store->dossiers().Attachment(Sha256Hex("other")).ok());
  auto check = store->Check().value();
  CHECK(check.ok());
  CHECK(check.audit_rows == audit_before + 1);
}

TEST_CASE("counter decisions read back by any of the dossier's codes, and purge keeps only their word") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto d = store->dossiers().Submit(SampleBody(), {}, "v").value();
  auto items = store->outbox().Lease("test", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 1);
  REQUIRE(store->outbox().RecordAccepted(items[0], "000.00.24.H03-261126-0009", "2026-11-27", "received").ok());
  const json refuse_reason = "Bà Hoà thiếu giấy chứng sinh";
  REQUIRE(store->decisions()
              .Submit(d.client_id, {{"decision", "request_supplement"},
                                    {"officer", "CB01"},
                                    {"reason", refuse_reason},
                                    {"supplement", {"Giấy chứng sinh"}}})
              .ok());
  REQUIRE(store->decisions()
              .Submit("000.00.24.H03-261126-0009",
                      {{"decision", "accept"},
                       {"officer", "CB01"},
                       {"documents_received", {{{"id", "birth_certificate"}, {"form", "original"}, {"count", 1}}}}})
              .ok());
  auto rec = store->dossiers().Get(d.provisional_code).value();
  auto decisions = store->decisions().For(rec);
  REQUIRE(decisions.ok());
  REQUIRE(decisions->size() == 2);
  CHECK((*decisions)[0].decision == "request_supplement");
  CHECK((*decisions)[0].body["reason"] == refuse_reason);
  CHECK((*decisions)[1].decision == "accept");
  CHECK((*decisions)[1].state == "queued");
  CHECK((*decisions)[1].body["documents_received"][0]["id"] == "birth_certificate");
  CHECK_FALSE((*decisions)[1].decided_at.empty());
  // Deliver the first; the second stays queued.
  auto out = store->outbox().Lease("test", 10, std::chrono::seconds(60)).value();
  REQUIRE(out.size() == 2);
  REQUIRE(store->outbox().RecordDelivered(out[0]).ok());
  REQUIRE(store->outbox().RecordRetry(out[1], "portal unreachable", clock.Now()).ok());
  clock.Advance(std::chrono::hours(24 * 31));
  CHECK(store->PurgeExpired().value() == 1);
  decisions = store->decisions().For(rec);
  REQUIRE(decisions->size() == 2);
  CHECK((*decisions)[0].body == json{{"decision", "request_supplement"}, {"purged", true}});
  CHECK((*decisions)[1].body["documents_received"].is_array());  // still to be sent: whole
  CHECK(store->Check().value().ok());
}

TEST_CASE("send now brings retries forward but leaves a runner's lease alone") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  store->dossiers().Submit(SampleBody(), {}, "v").value();
  store->dossiers().Submit(SampleBody("Lê Văn Bình"), {}, "v").value();
  auto items = store->outbox().Lease("a", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 2);
  REQUIRE(store->outbox().RecordRetry(items[0], "portal unreachable", clock.Now() + std::chrono::minutes(30)).ok());
  // items[1] stays leased by runner "a".
  CHECK(store->outbox().Lease("b", 10, std::chrono::seconds(60))->empty());
  CHECK(store->outbox().MakeDueNow().value() == 1);
  auto now_due = store->outbox().Lease("b", 10, std::chrono::seconds(60)).value();
  REQUIRE(now_due.size() == 1);
  CHECK(now_due[0].ref == items[0].ref);
  CHECK(store->outbox().MakeDueNow().value() == 0);
  CHECK(store->Check().value().ok());
}

TEST_CASE("ratings are validated, stored and queued for the portal") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir, nullptr));
  Rating bad{std::nullopt, "HT", json{{"overall", 6}}, ""};
  CHECK(store->ratings().Submit(bad).status().code() == Code::kInvalidArgument);
  Rating good{std::string("000.00.24.H03-261126-0001"), "HT", json{{"overall", 5}, {"attitude", 4}},
              "Cán bộ nhiệt tình"};
  auto key = store->ratings().Submit(good);
  REQUIRE(key.ok());
  auto items = store->outbox().Lease("t", 10, std::chrono::seconds(30)).value();
  REQUIRE(items.size() == 1);
  CHECK(items[0].kind == OutboxKind::kRating);
  auto body = store->outbox().Body(items[0]).value();
  CHECK(body["comment"] == "Cán bộ nhiệt tình");
  CHECK(body["scores"]["overall"] == 5);
  REQUIRE(store->outbox().RecordDelivered(items[0]).ok());
  CHECK(store->outbox().Lease("t", 10, std::chrono::seconds(30)).value().empty());
}
