// The REAL kiosk under Xvfb with an officers' signing token (SoftHSM2, docs/signing.md "At the
// counter"): the officer's accept waits for the token's PIN; a wrong PIN is refused with the
// token's message and nothing is recorded; the right PIN records the decision signed, the
// signature verifies against the officers' CA, Mẫu 01 prints "Đã ký số" with the signer.
#include <catch2/catch.hpp>

#include "kiosk/core/decision_signer.h"
#include "offline/domain/signature.h"
#include "offline/store/sqlite.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/drivers/token/token_fixture.h"
#include "tests/ui/kiosk_run.h"

using namespace mck;
using printer::testing::NormaliseText;
using printer::testing::Ocr;

TEST_CASE("an officer signs two decisions on the token in one visit, a wrong PIN records nothing, Mẫu 01 says Đã ký số") {
  test::SoftHsmToken token;
  token.Import("good", "01");
  const auto out = test::UiRunDir("staff-sign");
  REQUIRE(test::RunKioskScript("submit-dossier.script", out) == 0);
  REQUIRE(test::RunKioskScript("staff-sign.script", out,
                               std::string("--keep-data --kioskctl ") + KIOSKCTL_BIN + " --staff-pin 246810 --signing '" +
                                   token.label() + "|" + test::Pki().ca_pem().string() + "'") == 0);
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list->size() == 1);
  auto rec = store->dossiers().Get(list->front().client_id).value();
  auto decisions = store->decisions().For(rec);
  REQUIRE(decisions.ok());
  REQUIRE(decisions->size() == 2);  // a supplement request, then the accept; the wrong PIN recorded nothing
  CHECK(decisions->front().decision == "request_supplement");
  CHECK(VerifyDecisionSignature(decisions->front().body, test::Pki().ca_bundle()).ok());
  const auto& d = decisions->back();
  CHECK(d.decision == "accept");
  const SignatureVerdict v = VerifyDecisionSignature(d.body, test::Pki().ca_bundle());
  INFO(v.status.ToString());
  CHECK(v.ok());
  CHECK(v.signer.subject_cn == "Nguyễn Văn An");
  CHECK(d.body["officer"] == "Phạm Văn Tâm");

  // The audit: one decision, signed; the PIN appears nowhere in the kiosk's log.
  auto db = Db::Open((out / "data" / "kiosk.db").string());
  REQUIRE(db.ok());
  auto audit = (*db)->Prepare("SELECT detail FROM audit_log WHERE action = 'decision.submitted'");
  REQUIRE(audit.ok());
  std::vector<std::string> rows;
  Status st;
  while (audit->Step(&st)) rows.push_back(audit->Text(0));
  CHECK(rows == std::vector<std::string>{"decision=request_supplement signed", "decision=accept signed"});
  const std::string log = test::ReadAll(out / "kiosk.log");
  CHECK(log.find("wrong_pin") != std::string::npos);  // the refusal is logged, by kind
  CHECK(log.find("123456") == std::string::npos);
  CHECK(log.find("000000") == std::string::npos);

  // Mẫu 01 (the first print job) says it was signed digitally, by whom.
  const std::string text = Ocr(test::DecodedJob(out, 1));
  INFO(text);
  CHECK(text.find(NormaliseText("Đã ký số")) != std::string::npos);
  CHECK(text.find(NormaliseText("Nguyễn Văn An")) != std::string::npos);
}

TEST_CASE("an officer signs in with the signing token's PIN, a wrong one refused with the token's words, then signs the accept") {
  test::SoftHsmToken token;
  token.Import("good", "01");  // Nguyễn Văn An's certificate and key
  const auto out = test::UiRunDir("officer-token");
  REQUIRE(test::RunKioskScript("submit-dossier.script", out) == 0);
  REQUIRE(test::RunKioskScript("officer-token.script", out,
                               std::string("--keep-data --kioskctl ") + KIOSKCTL_BIN + " --signing '" + token.label() +
                                   "|" + test::Pki().ca_pem().string() +
                                   "' --officer 'cb.an|Nguyễn Văn An|Công chức Tư pháp - Hộ tịch|token|HT'") == 0);
  auto db = Db::Open((out / "data" / "kiosk.db").string());
  REQUIRE(db.ok());
  auto audit = (*db)->Prepare(
      "SELECT actor, action, detail FROM audit_log WHERE action IN ('officer.signed_in', 'decision.submitted') ORDER BY id");
  REQUIRE(audit.ok());
  std::vector<std::string> rows;
  Status st;
  while (audit->Step(&st)) rows.push_back(audit->Text(0) + " " + audit->Text(1) + " " + audit->Text(2));
  CHECK(rows == std::vector<std::string>{"officer:cb.an officer.signed_in by=token serial=1001",
                                         "officer:cb.an decision.submitted decision=accept signed"});
  const std::string log = test::ReadAll(out / "kiosk.log");
  CHECK(log.find("token sign-in refused (wrong_pin)") != std::string::npos);
  CHECK(log.find("123456") == std::string::npos);
  auto store = test::OpenRunStore(out);
  auto rec = store->dossiers().Get(store->dossiers().List()->front().client_id).value();
  auto decisions = store->decisions().For(rec);
  REQUIRE(decisions->size() == 1);
  CHECK(decisions->front().body["officer"] == "cb.an");
  CHECK(VerifyDecisionSignature(decisions->front().body, test::Pki().ca_bundle()).ok());
  const std::string wrong = Ocr(out / "shots" / "officer-token-wrong.png", 11);
  INFO(wrong);
  CHECK(wrong.find(NormaliseText("thiết bị ký số")) != std::string::npos);
}
