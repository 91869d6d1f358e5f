// kiosk/core's use cases on their own: what they store, what they refuse, what they return to
// print. The screen and kioskctl both rely on these rules (tests/ui/one_core_test.cpp compares
// the two sides).
#include <catch2/catch.hpp>

#include <algorithm>

#include "kiosk/core/counters.h"
#include "kiosk/core/decide.h"
#include "kiosk/core/documents.h"
#include "kiosk/core/lookup.h"
#include "kiosk/core/rating.h"
#include "kiosk/core/submit.h"
#include "kiosk/core/tickets.h"
#include "tests/core/core_fixture.h"

using namespace mck;
using mck::test::Core;
using nlohmann::json;

namespace {

// Answers every ticket with the status it is given.
class AnsweringPrinter final : public core::TicketPrinter {
 public:
  explicit AnsweringPrinter(Status answer) : answer_(std::move(answer)) {}
  Status PrintTicket(const printer::QueueTicketInfo& t) override {
    printed.push_back(t);
    return answer_;
  }
  std::vector<printer::QueueTicketInfo> printed;

 private:
  Status answer_;
};

}  // namespace

TEST_CASE("submit: an invalid form stores nothing and names every field, a valid one is stored with its slip") {
  Core c;
  core::DossierSubmission submit(*c.store, c.catalog, c.config, c.clock);
  json bad = c.BirthRegistration();
  bad["fields"].erase("child_name");
  bad["applicant"]["id_number"] = "123";
  auto refused = submit.Submit(bad, {});
  CHECK(refused.problem == core::SubmitOutcome::Problem::kInvalid);
  CHECK(refused.errors.size() >= 2);
  CHECK(c.store->dossiers().List()->empty());
  CHECK(c.store->outbox().Depth().value() == 0);

  auto ok = submit.Submit(c.BirthRegistration(), {});
  REQUIRE(ok.stored());
  CHECK(ok.slip_status.ok());
  CHECK(ok.slip.provisional_code == ok.dossier.provisional_code);
  CHECK(ok.slip.client_id == ok.dossier.client_id);
  CHECK(ok.slip.applicant_name == "Nguyễn Thị Hoà");
  CHECK(ok.slip.kiosk_number == 7);
  CHECK(ok.slip.reprinted_at.empty());
  CHECK(c.store->outbox().Depth().value() == 1);
}

TEST_CASE("tickets: issued only when printed, a failed number waits for a reprint, and a failed reprint leaves it so") {
  Core c;
  core::TicketDesk desk(*c.store, c.catalog, c.config);
  CHECK(desk.CheckCounter("ZZ").code() == Code::kInvalidArgument);
  AnsweringPrinter out_of_paper(Status::Error(Code::kUnavailable, "paper out", "Hết giấy"));
  auto failed = desk.Issue("XH", std::nullopt, out_of_paper);
  REQUIRE(failed.ok());
  CHECK_FALSE(failed->printed.ok());
  CHECK(failed->reserved.ticket.state == TicketState::kPrintFailed);
  CHECK(failed->reserved.document.counter_label == "Bảo trợ xã hội, Giảm nghèo");
  CHECK(*desk.Waiting("XH") == 0);  // never called: nobody holds it
  CHECK(desk.CallNext("XH").status().code() == Code::kNotFound);

  auto still = desk.Reprint("XH-001", out_of_paper);
  REQUIRE(still.ok());
  CHECK_FALSE(still->printed.ok());
  REQUIRE(desk.FailedToday()->size() == 1);

  AnsweringPrinter paper(Status::Ok());
  auto again = desk.Reprint("XH-001", paper);
  REQUIRE(again.ok());
  CHECK(again->printed.ok());
  CHECK(again->reserved.ticket.state == TicketState::kIssued);
  CHECK(desk.FailedToday()->empty());
  CHECK(desk.Reprint("XH-001", paper).status().code() == Code::kNotFound);
  auto called = desk.CallNext("XH");
  REQUIRE(called.ok());
  CHECK(called->number == 1);
}

TEST_CASE("tickets: a number says when to come back once three service times were measured at its counter today") {
  Core c(*ParseRfc3339("2026-12-07T08:00:00+07:00"));
  core::TicketDesk desk(*c.store, c.catalog, c.config);
  auto take = [&](const std::string& counter) {
    auto r = desk.Reserve(counter, std::nullopt);
    REQUIRE(r.ok());
    REQUIRE(desk.RecordPrint(r->ticket, Status::Ok()).ok());
    return r.value();
  };
  for (int i = 0; i < 6; ++i) take("HT");  // 08:00: six numbers, all waiting
  REQUIRE(desk.CallNext("HT").ok());       // 1 called at 08:00
  for (int i = 0; i < 2; ++i) {
    c.clock.Advance(std::chrono::minutes(8));
    REQUIRE(desk.CallNext("HT").ok());
  }
  // Two service times measured (8 min each): too few, the ticket prints the people ahead only.
  auto early = take("HT");
  CHECK(early.document.waiting_before == 3);
  CHECK_FALSE(early.come_back_at);
  CHECK(early.document.come_back_at.empty());
  c.clock.Advance(std::chrono::minutes(8));
  REQUIRE(desk.CallNext("HT").ok());  // 08:24, the third measurement
  auto t = take("HT");                // 3 ahead (numbers 5, 6, 7): 08:24 + 3 x 8 min = 08:48 -> 08:45
  CHECK(t.document.waiting_before == 3);
  REQUIRE(t.come_back_at);
  CHECK(FormatVietnamHhMm(*t.come_back_at) == "08:45");
  CHECK(t.document.come_back_at == "08:45");
  const auto text = printer::LayoutText(printer::BuildQueueTicket(t.document));
  CHECK(std::find(text.begin(), text.end(), "Trước bạn còn 3 người") != text.end());
  CHECK(std::find(text.begin(), text.end(), "Vui lòng quay lại khoảng 08:45") != text.end());
  // Another counter has measured nothing today: no time there.
  take("XH");
  CHECK_FALSE(take("XH").come_back_at);
  // The next day starts with no measurements.
  c.clock.Advance(std::chrono::hours(24));
  for (int i = 0; i < 4; ++i) take("HT");
  CHECK_FALSE(take("HT").come_back_at);
}

TEST_CASE("a decision is checked before anything is stored, and an accept returns the Mẫu 01 to print") {
  Core c;
  auto stored = core::DossierSubmission(*c.store, c.catalog, c.config, c.clock).Submit(c.BirthRegistration(), {});
  REQUIRE(stored.stored());
  core::CounterDecisions decisions(*c.store, c.catalog, c.config, c.clock);
  CounterDecision refuse;
  refuse.decision = "refuse";  // no officer, no reason
  auto refused = decisions.Record(stored.dossier.provisional_code, refuse);
  CHECK(refused.status().code() == Code::kInvalidArgument);
  CHECK(c.store->decisions().For(*c.store->dossiers().Get(stored.dossier.client_id))->empty());

  CounterDecision accept;
  accept.decision = "accept";
  accept.officer = "Phạm Văn Tâm";
  accept.received = {{"birth_certificate", "certified_copy", 2, "", 0}};
  auto accepted = decisions.Record(stored.dossier.client_id, accept);
  REQUIRE(accepted.ok());
  CHECK(accepted->ref == stored.dossier.client_id);  // no official code yet
  REQUIRE(accepted->official);
  CHECK(accepted->official->officer_name == "Phạm Văn Tâm");
  REQUIRE(accepted->official->documents.size() == 1);
  CHECK(accepted->official->documents[0].form == "Bản sao chứng thực");
  CHECK(accepted->official->documents[0].count == 2);
  CHECK(**c.store->settings().Get("staff.officer") == "Phạm Văn Tâm");
  // The same document, asked again by any code, from the recorded accept.
  auto again = core::DossierDocuments(*c.store, c.catalog, c.config, c.clock).Official(stored.dossier.provisional_code);
  REQUIRE(again.ok());
  CHECK(printer::LayoutText(printer::BuildOfficialReceipt(*again)) ==
        printer::LayoutText(printer::BuildOfficialReceipt(*accepted->official)));
}

TEST_CASE(
    "look-up: codes typed in lower case are found, a QR's client id as it is, the portal asked by the right key") {
  Core c;
  auto stored = core::DossierSubmission(*c.store, c.catalog, c.config, c.clock).Submit(c.BirthRegistration(), {});
  REQUIRE(stored.stored());
  core::DossierLookup lookup(*c.store, c.catalog);
  std::string typed = stored.dossier.provisional_code;
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto r = lookup.Local("  " + typed + " ");
  REQUIRE(r.ok());
  CHECK(r->procedure_name == "Đăng ký khai sinh");
  CHECK(r->state == "queued");
  CHECK(r->portal_key == stored.dossier.client_id);
  CHECK(lookup.Local(stored.dossier.client_id).ok());
  CHECK(lookup.Local("").status().code() == Code::kInvalidArgument);
  CHECK(lookup.Local("K07-000000-9999").status().code() == Code::kNotFound);
}

TEST_CASE("a rating needs a known criterion scored 1 to 5, and is queued for the portal") {
  Core c;
  CHECK(core::SubmitRating(*c.store, {}).status().code() == Code::kInvalidArgument);
  core::RatingInput wrong;
  wrong.scores = {{"overall", 9}};
  CHECK(core::SubmitRating(*c.store, wrong).status().code() == Code::kInvalidArgument);
  core::RatingInput unknown;
  unknown.scores = {{"weather", 3}};
  CHECK(core::SubmitRating(*c.store, unknown).status().code() == Code::kInvalidArgument);
  CHECK(c.store->outbox().Lease("test", 10, std::chrono::seconds(60))->empty());
  core::RatingInput good;
  good.scores = {{"overall", 5}, {"staff_attitude", 4}};
  good.comment = "  Nhanh  ";
  CHECK(core::SubmitRating(*c.store, good).ok());
  auto leased = c.store->outbox().Lease("test", 10, std::chrono::seconds(60));
  REQUIRE(leased->size() == 1);
  CHECK(leased->front().kind == OutboxKind::kRating);
}
