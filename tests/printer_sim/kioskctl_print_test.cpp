// kioskctl's ticket and print commands end to end: the real program, a real store in a temp
// folder, and the printer simulator on loopback as the configured printer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "drivers/printer/png_preview.h"
#include "offline/domain/ids.h"
#include "offline/store/store.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/printer_sim/sim_server.h"
#include "tests/support/sample_dossier.h"

using namespace mck;
using namespace mck::printer;
using namespace std::chrono_literals;
using mck::printer::sim::PrinterSim;
using mck::printer::sim::SimMode;
using mck::printer::testing::Quote;
using mck::printer::testing::TempDir;

namespace {

struct Cli {
  TempDir dir;
  std::unique_ptr<PrinterSim> sim;
  std::filesystem::path config;

  Cli() {
    auto s = PrinterSim::Start({});
    REQUIRE(s.ok());
    sim = std::move(s.value());
    // Our own small catalog: the shipped config/procedures.json grows with other work.
    std::ofstream(dir / "procedures.json") << R"({"version": "test-1", "procedures": [
      {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "processing_days": 1, "fee_vnd": 0,
       "counter": "HT",
       "form": [{"id": "child_name", "label": "Họ, chữ đệm, tên của trẻ", "type": "text", "required": true, "max_len": 100},
                {"id": "child_dob", "label": "Ngày sinh của trẻ", "type": "date", "required": true},
                {"id": "child_gender", "label": "Giới tính của trẻ", "type": "select", "options": ["Nam", "Nữ"], "required": true}],
       "documents": [{"id": "birth_certificate", "name": "Giấy chứng sinh", "required": true}]},
      {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực", "processing_days": 1,
       "fee_vnd": 2000, "counter": "CT", "form": [], "documents": []}]})";
    config = dir / "kiosk.toml";
    std::ofstream(config) << "[security]\nkey_protection = \"file\"\n[kiosk]\nnumber = 7\ncommune_name = \"UBND xã "
                             "Mẫu\"\ndata_dir = \"data\"\n"
                          << "catalog_seed = \"procedures.json\"\n[devices]\nprinter = \"" << sim->Uri()
                          << "\"\nprinter_width_mm = 80\n";
  }
  // Runs kioskctl; stdout and stderr together.
  testing::CommandResult operator()(const std::string& args) const {
    return testing::Run(Quote(KIOSKCTL_BIN) + " --config " + Quote(config.string()) + " " + args + " 2>&1");
  }
};

}  // namespace

TEST_CASE("ticket take prints the ticket, and the number is issued and called in order") {
  Cli cli;
  auto r = cli("ticket take HT --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["number"] == 1);
  CHECK(j["state"] == "issued");
  CHECK(j["waiting_before"] == 0);
  REQUIRE(cli.sim->WaitForJobs(1, 2s));
  CHECK(cli.sim->Jobs()[0].printed);

  r = cli("ticket take HT");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("HT-002") != std::string::npos);
  CHECK(r.out.find("1 người chờ trước") != std::string::npos);

  r = cli("ticket call HT");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Mời số HT-001") != std::string::npos);
  r = cli("ticket call HT --json");
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["called"]["number"] == 2);
  r = cli("ticket call HT");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("Không còn ai chờ") != std::string::npos);
}

TEST_CASE("a ticket the printer cannot print is not issued: shown large, recorded print_failed, never called") {
  Cli cli;
  cli.sim->SetMode(SimMode::kPaperOut);
  auto r = cli("ticket take HT");
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("KHÔNG IN ĐƯỢC PHIẾU SỐ THỨ TỰ") != std::string::npos);
  CHECK(r.out.find("HT-001") != std::string::npos);
  CHECK(r.out.find("hết giấy") != std::string::npos);
  CHECK(r.out.find("print_failed") != std::string::npos);
  CHECK(cli.sim->JobCount() == 0);
  r = cli("ticket call HT");
  CHECK(r.exit_code == 1);  // nobody waiting: the failed number is not in the queue

  cli.sim->SetMode(SimMode::kOk);
  r = cli("ticket take HT --json");
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["number"] == 2);  // numbers are never reused
  r = cli("ticket call HT --json");
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["called"]["number"] == 2);
}

TEST_CASE("ticket reprint prints a print_failed number again and then it waits in its place") {
  Cli cli;
  cli.sim->SetMode(SimMode::kPaperOut);
  auto r = cli("ticket take HT");
  REQUIRE(r.exit_code == 1);
  CHECK(r.out.find("kioskctl ticket reprint HT-001") != std::string::npos);
  r = cli("ticket list --state print_failed --json");
  REQUIRE(r.exit_code == 0);
  auto listed = nlohmann::json::parse(r.out);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["display"] == "HT-001");
  r = cli("ticket reprint HT-001");  // still no paper: still not issued
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("hết giấy") != std::string::npos);
  CHECK(cli("ticket call HT").exit_code == 1);

  cli.sim->SetMode(SimMode::kOk);
  r = cli("ticket reprint HT-001 --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["state"] == "issued");
  REQUIRE(cli.sim->WaitForJobs(1, 2s));
  CHECK(cli("ticket reprint HT-001").exit_code == 2);  // nothing left to reprint (not found)
  r = cli("ticket call HT --json");
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["called"]["number"] == 1);
  CHECK(cli("ticket list --state nonsense").exit_code == 2);
}

TEST_CASE("an unknown counter is refused before a number is taken") {
  Cli cli;
  auto r = cli("ticket take XYZ");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("Không có quầy 'XYZ'") != std::string::npos);
}

TEST_CASE("print receipt prints the kiosk slip and the Mẫu 01 receipt of a stored dossier, with a preview") {
  Cli cli;
  const auto file = cli.dir / "d.json";
  std::ofstream(file)
      << nlohmann::json{{"procedure_code", "1.001193"},
                        {"channel", "kiosk"},
                        {"applicant", mck::test::SampleApplicant("Thôn Ví Dụ, xã Mẫu")},
                        {"fields",
                         {{"child_name", "Trần Văn An"}, {"child_dob", "2026-11-02"}, {"child_gender", "Nam"}}},
                        {"documents", {{{"id", "birth_certificate"}, {"presented_at_counter", true}}}},
                        {"attachments", nlohmann::json::array()}}
             .dump();
  auto r = cli("dossier submit " + Quote(file.string()) + " --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const std::string code = nlohmann::json::parse(r.out)["provisional_code"];
  const std::string client_id = nlohmann::json::parse(r.out)["client_id"];

  const auto slip_png = cli.dir / "slip.png";
  r = cli("print receipt " + code + " --preview " + Quote(slip_png.string()));
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  REQUIRE(cli.sim->WaitForJobs(1, 2s));
  CHECK(testing::ZbarDecode(slip_png) == client_id);
  // The preview is the very raster that was printed: the paper, less the feed before the cut
  // (ESC d 3 = 90 rows), encodes to the same PNG bytes.
  Raster paper = cli.sim->Jobs()[0].decoded.pages.at(0);
  CHECK(paper.width == 576);
  paper.height -= 90;
  paper.bits.resize(static_cast<size_t>(paper.height) * paper.stride());
  std::ifstream preview(slip_png, std::ios::binary);
  const std::string preview_bytes{std::istreambuf_iterator<char>(preview), {}};
  CHECK(EncodePng(paper).value() == preview_bytes);

  const auto mau01_png = cli.dir / "mau01.png";
  r = cli("print receipt " + client_id + " --official --officer " + Quote("Phạm Văn Tâm") + " --preview " +
          Quote(mau01_png.string()) + " --json");
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["document"] == "official_receipt");
  REQUIRE(cli.sim->WaitForJobs(2, 2s));
  // No official code yet: the Mẫu 01 QR carries the client id.
  CHECK(testing::ZbarDecode(mau01_png) == client_id);

  r = cli("print receipt K99-000000-0000");
  CHECK(r.exit_code == 2);
}

TEST_CASE(
    "dossier decide records a counter decision, checks it like the staff screen, and Mẫu 01 prints what was received") {
  Cli cli;
  const auto file = cli.dir / "d.json";
  std::ofstream(file) << nlohmann::json{
      {"procedure_code", "1.001193"},
      {"channel", "kiosk"},
      {"applicant", mck::test::SampleApplicant()},
      {"fields", {{"child_name", "Trần Văn An"}, {"child_dob", "2026-11-02"}, {"child_gender", "Nam"}}},
      {"documents",
       {{{"id", "birth_certificate"},
         {"presented_at_counter",
          true}}}}}.dump();
  auto r = cli("dossier submit " + Quote(file.string()) + " --json");
  REQUIRE(r.exit_code == 0);
  const std::string code = nlohmann::json::parse(r.out)["provisional_code"];

  // Every problem at once, nothing recorded.
  r = cli("dossier decide " + code + " refuse --received passport:photo");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("Cần ghi cán bộ tiếp nhận") != std::string::npos);
  CHECK(r.out.find("Cần ghi lý do") != std::string::npos);
  CHECK(r.out.find("\"photo\" không hợp lệ") != std::string::npos);
  CHECK(r.out.find("không có giấy tờ \"passport\"") != std::string::npos);
  CHECK(cli("dossier decide " + code + " approve --officer CB01").exit_code == 2);
  CHECK(cli("dossier decide " + code + " accept --officer CB01 --received birth_certificate:original:x").exit_code ==
        2);

  r = cli("dossier decide " + code + " accept --officer " + Quote("Phạm Văn Tâm") +
          " --received birth_certificate:certified_copy:2 --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto decided = nlohmann::json::parse(r.out);
  CHECK(decided["decision"] == "accept");
  CHECK(decided["state"] == "queued");
  CHECK(decided["ref"].get<std::string>().size() == 36);  // not synced yet: the client id

  // Mẫu 01 lists the papers as the officer recorded them, and signs with the officer's name.
  const auto png = cli.dir / "mau01.png";
  r = cli("print receipt " + code + " --official --preview " + Quote(png.string()));
  REQUIRE(r.exit_code == 0);
  REQUIRE(cli.sim->WaitForJobs(1, 2s));
  const std::string text = testing::Ocr(png);
  CAPTURE(text);
  CHECK(text.find(testing::NormaliseText("Bản sao chứng thực")) != std::string::npos);
  CHECK(text.find(testing::NormaliseText("Phạm Văn Tâm")) != std::string::npos);
}

TEST_CASE("print test and print status report the printer's state, and a stalled printer is an error, not a hang") {
  Cli cli;
  auto r = cli("print status --json");
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["state"] == "ok");
  r = cli("print test");
  CHECK(r.exit_code == 0);
  REQUIRE(cli.sim->WaitForJobs(1, 2s));
  cli.sim->SetMode(SimMode::kCoverOpen);
  r = cli("print status");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("Nắp máy in đang mở") != std::string::npos);
  cli.sim->SetMode(SimMode::kStall, 0);
  r = cli("print test --printer " + Quote(cli.sim->Uri() + "?timeout_ms=500"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("không trả lời") != std::string::npos);
  TempDir out;
  r = cli("print test --printer " + Quote("file:" + (out / "t.bin").string()) + " --width-mm 58 --preview " +
          Quote((out / "t.png").string()));
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::file_size(out / "t.bin") > 10000);
  CHECK(testing::ZbarDecode(out / "t.png").rfind("MCK-TEST ", 0) == 0);
  r = cli("print test --printer lpt:1");
  CHECK(r.exit_code == 2);
}

// The biên lai reprinted from the command line (docs/payment.md), and Mẫu 01 naming the paper
// scanned at the kiosk (docs/scanning.md): both through the real kioskctl and printer-sim.
TEST_CASE("print bien-lai reprints the fee receipt with the sum in words once the portal says it was paid") {
  Cli cli;
  const auto file = cli.dir / "fee.json";
  std::ofstream(file) << nlohmann::json{{"procedure_code", "2.000815"},
                                        {"channel", "kiosk"},
                                        {"applicant", mck::test::SampleApplicant()},
                                        {"fields", nlohmann::json::object()}}
                             .dump();
  auto r = cli("dossier submit " + Quote(file.string()) + " --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const std::string code = nlohmann::json::parse(r.out)["provisional_code"];
  const std::string client_id = nlohmann::json::parse(r.out)["client_id"];

  // Not paid yet (the portal said nothing): a calm refusal, nothing printed.
  r = cli("print bien-lai " + code);
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("không có lệ phí phải nộp") != std::string::npos);
  {
    StoreOptions o;
    o.data_dir = cli.dir / "data";
    o.kiosk_number = 7;
    o.key_protection.mode = KeyProtection::kFile;
    auto store = Store::Open(o);
    REQUIRE(store.ok());
    REQUIRE((*store)->dossiers().UpdateFeePayment(client_id, FeePayment{2000, false, "", ""}).ok());
  }
  r = cli("print bien-lai " + client_id);
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("chưa có xác nhận đã nộp lệ phí") != std::string::npos);
  CHECK(cli.sim->Jobs().empty());
  {
    StoreOptions o;
    o.data_dir = cli.dir / "data";
    o.kiosk_number = 7;
    o.key_protection.mode = KeyProtection::kFile;
    auto store = Store::Open(o);
    REQUIRE(store.ok());
    REQUIRE((*store)
                ->dossiers()
                .UpdateFeePayment(client_id, FeePayment{1250000, true, "2026-12-07T10:15:00+07:00", "FT26341XYZ"})
                .ok());
  }
  const auto png = cli.dir / "bien-lai.png";
  r = cli("print bien-lai " + client_id + " --preview " + Quote(png.string()) + " --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto out = nlohmann::json::parse(r.out);
  CHECK(out["document"] == "fee_receipt");
  CHECK(out["amount_vnd"] == 1250000);
  const auto lines = out["text"].get<std::vector<std::string>>();
  CHECK(std::find(lines.begin(), lines.end(), "Số tiền bằng chữ: Một triệu hai trăm năm mươi nghìn đồng") !=
        lines.end());
  REQUIRE(cli.sim->WaitForJobs(1, 2s));
  const std::string text = testing::Ocr(png);
  CAPTURE(text);
  CHECK(text.find(testing::NormaliseText("BIÊN LAI THU LỆ PHÍ")) != std::string::npos);
  CHECK(text.find(testing::NormaliseText("Một triệu hai trăm năm mươi nghìn đồng")) != std::string::npos);
  CHECK(text.find(testing::NormaliseText("FT26341XYZ")) != std::string::npos);

  // By the provisional code too; an unknown one is bad input.
  CHECK(cli("print bien-lai " + code).exit_code == 0);
  CHECK(cli("print bien-lai K99-000000-0000").exit_code == 2);
  CHECK(cli("print bien-lai").exit_code == 2);
}

TEST_CASE("Mẫu 01 from kioskctl lists the paper scanned at the kiosk, and a scan that is no attachment is refused") {
  Cli cli;
  const std::string pdf = "%PDF-1.5\n% a scanned page, as kioskctl scan page writes them\n%%EOF\n";
  std::ofstream(cli.dir / "giay-chung-sinh.pdf", std::ios::binary) << pdf;
  auto body = [&](const std::string& sha) {
    return nlohmann::json{
        {"procedure_code", "1.001193"},
        {"channel", "kiosk"},
        {"applicant", mck::test::SampleApplicant()},
        {"fields", {{"child_name", "Trần Văn An"}, {"child_dob", "2026-11-02"}, {"child_gender", "Nam"}}},
        {"documents",
         {{{"id", "birth_certificate"}, {"presented_at_counter", true}, {"digitised", {{"sha256", sha}, {"pages", 2}}}}}},
        {"attachments", {{{"path", "giay-chung-sinh.pdf"}, {"media_type", "application/pdf"}}}}};
  };
  const auto file = cli.dir / "d.json";
  std::ofstream(file) << body(std::string(64, 'e')).dump();
  auto r = cli("dossier submit " + Quote(file.string()) + " --json");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("documents[0].digitised.sha256") != std::string::npos);
  CHECK(r.out.find("không có tệp đính kèm nào của hồ sơ trùng với bản quét này") != std::string::npos);
  CHECK(cli("queue list --json").out.find("K07-") == std::string::npos);  // nothing stored

  std::ofstream(file, std::ios::trunc) << body(mck::Sha256Hex(pdf)).dump();
  r = cli("dossier submit " + Quote(file.string()) + " --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const std::string code = nlohmann::json::parse(r.out)["provisional_code"];
  const auto png = cli.dir / "mau01.png";
  r = cli("print receipt " + code + " --official --officer " + Quote("Phạm Văn Tâm") + " --preview " +
          Quote(png.string()) + " --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto lines = nlohmann::json::parse(r.out)["text"].get<std::vector<std::string>>();
  CHECK(std::find(lines.begin(), lines.end(), "(đã số hoá, 2 trang)") != lines.end());
  REQUIRE(cli.sim->WaitForJobs(1, 2s));
  const std::string text = testing::Ocr(png);
  CAPTURE(text);
  CHECK(text.find(testing::NormaliseText("đã số hoá, 2 trang")) != std::string::npos);
}

// docs/scanning.md "At the counter": a paper the officer scanned is marked on Mẫu 01 from the stored
// decisions, also when a supplement request carried the scan and the later accept did not.
TEST_CASE("Mẫu 01 from kioskctl marks a paper scanned at the counter by an earlier supplement request") {
  Cli cli;
  const nlohmann::json body = {
      {"procedure_code", "1.001193"},
      {"channel", "kiosk"},
      {"applicant", mck::test::SampleApplicant()},
      {"fields", {{"child_name", "Trần Văn An"}, {"child_dob", "2026-11-02"}, {"child_gender", "Nam"}}},
      {"documents", {{{"id", "birth_certificate"}, {"presented_at_counter", true}}}}};
  const auto file = cli.dir / "d.json";
  std::ofstream(file) << body.dump();
  auto r = cli("dossier submit " + Quote(file.string()) + " --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const std::string code = nlohmann::json::parse(r.out)["provisional_code"];
  const std::string pdf = "%PDF-1.5\n% the birth certificate, scanned at the counter\n%%EOF\n";
  {
    StoreOptions o;
    o.data_dir = cli.dir / "data";
    o.kiosk_number = 7;
    o.key_protection.mode = KeyProtection::kFile;
    auto store = Store::Open(o);
    REQUIRE(store.ok());
    const nlohmann::json scanned = {{"id", "birth_certificate"},
                                    {"form", "original"},
                                    {"count", 1},
                                    {"digitised", {{"sha256", Sha256Hex(pdf)}, {"pages", 3}}}};
    REQUIRE((*store)
                ->decisions()
                .Submit(code,
                        {{"decision", "request_supplement"},
                         {"officer", "CB07"},
                         {"reason", "Thiếu giấy xác nhận cư trú"},
                         {"documents_received", nlohmann::json::array({scanned})}},
                        {{"birth_certificate.pdf", "application/pdf", pdf}})
                .ok());
    REQUIRE((*store)
                ->decisions()
                .Submit(code, {{"decision", "accept"},
                               {"officer", "CB07"},
                               {"documents_received", {{{"id", "birth_certificate"}, {"form", "original"}, {"count", 1}}}}})
                .ok());
    CHECK((*store)->dossiers().Digitised("2000-01-01")->documents_total == 1);
  }
  r = cli("print receipt " + code + " --official --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto lines = nlohmann::json::parse(r.out)["text"].get<std::vector<std::string>>();
  CHECK(std::find(lines.begin(), lines.end(), "(đã số hoá, 3 trang)") != lines.end());
}
