// Filling the documents from a stored dossier record (no Store needed: the record is a value).
#include <catch2/catch.hpp>

#include "drivers/printer/dossier_documents.h"
#include "offline/domain/vietqr.h"

using namespace mck;
using namespace mck::printer;

namespace {

Procedure BirthRegistration() {
  Procedure p;
  p.code = "1.001193";
  p.name = "Đăng ký khai sinh";
  p.field = "Hộ tịch";
  p.processing_days = 1;
  p.fee_vnd = 0;
  p.counter = "HT";
  p.documents = {{"birth_certificate", "Giấy chứng sinh", true},
                 {"marriage_certificate", "Giấy chứng nhận kết hôn", false}};
  return p;
}

DossierRecord Record() {
  DossierRecord d;
  d.client_id = "6f1c2a4e-8d1b-4c8e-9b7a-1234567890ab";
  d.provisional_code = "K07-261122-0003";
  d.procedure_code = "1.001193";
  d.submitted_at = "2026-11-22T09:14:03+07:00";
  d.body = {{"applicant", {{"full_name", "Lê Thị Hồng Nhung"}, {"address", "Thôn Đông"}, {"phone", "0912345678"}}},
            {"documents",
             {{{"id", "birth_certificate"}, {"presented_at_counter", true}},
              {{"id", "marriage_certificate"}, {"presented_at_counter", false}}}}};
  return d;
}

DossierPrintContext Context() {
  DossierPrintContext c;
  c.commune_name = "UBND xã Mẫu";
  c.kiosk_number = 7;
  return c;
}

}  // namespace

TEST_CASE("the kiosk slip takes the codes from the record and the rest from the procedure") {
  auto s = KioskSlipFromDossier(Record(), BirthRegistration(), Context());
  REQUIRE(s.ok());
  CHECK(s->applicant_name == "Lê Thị Hồng Nhung");
  CHECK(s->provisional_code == "K07-261122-0003");
  CHECK(s->client_id == "6f1c2a4e-8d1b-4c8e-9b7a-1234567890ab");
  CHECK(s->counter == "HT");
  REQUIRE(s->documents_to_bring.size() == 2);
  CHECK(s->documents_to_bring[1].required == false);
  CHECK(s->kiosk_number == 7);
  CHECK(s->submitted_at == "2026-11-22T09:14:03+07:00");
}

TEST_CASE("the official receipt lists the documents presented at the counter, or the officer's record") {
  DossierRecord d = Record();
  d.dossier_code = "000.00.24.H03-261122-0017";
  d.appointment_date = "2026-11-24";
  d.accepted_at = "2026-11-22T10:00:00+07:00";
  auto r = OfficialReceiptFromDossier(d, BirthRegistration(), Context());
  REQUIRE(r.ok());
  REQUIRE(r->documents.size() == 1);
  CHECK(r->documents[0].name == "Giấy chứng sinh");
  CHECK(r->dossier_code == "000.00.24.H03-261122-0017");
  CHECK(r->received_at == "2026-11-22T10:00:00+07:00");
  CHECK(r->result_place == "Bộ phận một cửa UBND xã Mẫu");
  CHECK(r->applicant_phone == "0912345678");

  d.body["documents_received"] = {{{"id", "birth_certificate"}, {"form", "original"}, {"count", 1}},
                                  {{"id", "marriage_certificate"}, {"form", "certified_copy"}, {"count", 2}}};
  r = OfficialReceiptFromDossier(d, BirthRegistration(), Context());
  REQUIRE(r.ok());
  REQUIRE(r->documents.size() == 2);
  CHECK(r->documents[0].form == "Bản chính");
  CHECK(r->documents[1].form == "Bản sao chứng thực");
  CHECK(r->documents[1].count == 2);
}

TEST_CASE("a purged dossier cannot be printed: the message says why") {
  DossierRecord d = Record();
  d.purged = true;
  d.body = nullptr;
  auto s = KioskSlipFromDossier(d, BirthRegistration(), Context());
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kFailedPrecondition);
  CHECK(s.status().message_vi().find("hết thời hạn lưu") != std::string::npos);
  CHECK_FALSE(OfficialReceiptFromDossier(d, BirthRegistration(), Context()).ok());
}

TEST_CASE("a fee stored with the dossier gets a VietQR for the commune's account, built from the record") {
  DossierRecord d = Record();
  d.body["fee_vnd"] = 5000;
  DossierPrintContext c = Context();
  c.payment_bank_bin = "970415";
  c.payment_account = "113366668888";
  c.payment_account_name = "UBND XA MAU";
  auto s = KioskSlipFromDossier(d, BirthRegistration(), c);  // the catalog says free: the record wins
  REQUIRE(s.ok());
  CHECK(s->fee_vnd == 5000);
  REQUIRE(s->payment);
  auto t = vietqr::Decode(s->payment->payload);
  REQUIRE(t.ok());
  CHECK(t->bank_bin == "970415");
  CHECK(t->account == "113366668888");
  CHECK(t->amount_vnd == 5000);
  CHECK(t->purpose == "K07-261122-0003");

  SECTION("a fee-free dossier has none") {
    d.body["fee_vnd"] = 0;
    auto free = KioskSlipFromDossier(d, BirthRegistration(), c);
    REQUIRE(free.ok());
    CHECK(free->fee_vnd == 0);
    CHECK_FALSE(free->payment);
  }
  SECTION("no account configured: the fee is printed, no QR") {
    auto none = KioskSlipFromDossier(d, BirthRegistration(), Context());
    REQUIRE(none.ok());
    CHECK(none->fee_vnd == 5000);
    CHECK_FALSE(none->payment);
  }
  SECTION("a dossier stored before fees were computed: the catalog's fee, no QR") {
    d.body.erase("fee_vnd");
    Procedure p = BirthRegistration();
    p.fee_vnd = 8000;
    auto old = KioskSlipFromDossier(d, p, c);
    REQUIRE(old.ok());
    CHECK(old->fee_vnd == 8000);
    CHECK_FALSE(old->payment);
  }
}

TEST_CASE("Mẫu 01 takes the digitised pages of each paper from the body's documents") {
  DossierRecord d = Record();
  d.body["documents"][0]["digitised"] = {{"sha256", std::string(64, 'a')}, {"pages", 3}};
  // Scanned at the kiosk but not ticked as presented: it was handed over, so it is listed.
  d.body["documents"][1] = {{"id", "marriage_certificate"},
                            {"digitised", {{"sha256", std::string(64, 'b')}, {"pages", 1}}}};
  auto r = OfficialReceiptFromDossier(d, BirthRegistration(), Context());
  REQUIRE(r.ok());
  REQUIRE(r->documents.size() == 2);
  CHECK(r->documents[0].name == "Giấy chứng sinh");
  CHECK(r->documents[0].digitised_pages == 3);
  CHECK(r->documents[1].name == "Giấy chứng nhận kết hôn");
  CHECK(r->documents[1].digitised_pages == 1);

  SECTION("the officer's record names the papers; the pages come from the body by id") {
    d.body["documents_received"] = {{{"id", "marriage_certificate"}, {"form", "ban_sao"}, {"count", 2}},
                                    {{"id", "birth_certificate"}, {"form", "ban_chinh"}, {"count", 1}}};
    auto o = OfficialReceiptFromDossier(d, BirthRegistration(), Context());
    REQUIRE(o.ok());
    REQUIRE(o->documents.size() == 2);
    CHECK(o->documents[0].digitised_pages == 1);
    CHECK(o->documents[1].digitised_pages == 3);
  }
  SECTION("a malformed digitised entry is not printed as digitised") {
    d.body["documents"][0]["digitised"]["pages"] = "3";
    d.body["documents"][1]["digitised"] = true;
    auto o = OfficialReceiptFromDossier(d, BirthRegistration(), Context());
    REQUIRE(o.ok());
    REQUIRE(o->documents.size() == 1);  // the second is neither presented nor digitised now
    CHECK(o->documents[0].digitised_pages == 0);
  }
}
