// kioskctl card list | card read | card watch | card sim ... | qr parse | qr scan
//
// Exit codes for card commands: 0 read; 2 the input is at fault (malformed access data, a QR that
// is not a CCCD QR, the chip refused the key: check the ID number / date of birth; the CSCA file
// of the set-up is missing or malformed); 1 anything else the device did (no reader, no card,
// card pulled, not an ID card, pcscd down). A card failure prints its kind on stderr
// ("Loại lỗi thẻ (card failure): service_down"), and as {"card_failure": ...} on stdout with --json.
#include <chrono>
#include <fstream>
#include <iostream>

#include "drivers/card/card_reader.h"
#include "drivers/card/mrz.h"
#include "drivers/card/pcsc_reader.h"
#include "drivers/card/qr.h"
#include "drivers/card/serial_qr.h"
#include "drivers/card/sim_reader.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/domain/config.h"

namespace mck::ctl {
namespace {

using nlohmann::json;
using namespace mck::card;

// The exit code of a card failure: the input (or the set-up's file) at fault, or the device.
int CardFailureExit(CardFailure kind) {
  switch (kind) {
    case CardFailure::kBadKey:
    case CardFailure::kWrongKey:
    case CardFailure::kSetupError: return kExitBadInput;
    case CardFailure::kNoReader:
    case CardFailure::kReaderGone:
    case CardFailure::kReaderBusy:
    case CardFailure::kServiceDown:
    case CardFailure::kNoCard:
    case CardFailure::kCardRemoved:
    case CardFailure::kCardMute:
    case CardFailure::kNotAnIdCard:
    case CardFailure::kReadError:
    case CardFailure::kCorruptData:
    case CardFailure::kCancelled:
    case CardFailure::kNotGenuine: return kExitFailed;
  }
  return kExitFailed;
}

int CardExit(Context& ctx, const CardError& error) {
  // Fail() prints the messages; the exit code is the kind's (Fail's, by Status code, is coarser).
  ctx.Fail(error.status);
  const char* name = CardFailureName(error.kind);
  std::cerr << "Loại lỗi thẻ (card failure): " << name << "\n";
  if (ctx.json()) PrintJson(json{{"card_failure", name}, {"exit", CardFailureExit(error.kind)}});
  return CardFailureExit(error.kind);
}

// A QR that is not a CCCD QR is the input's fault (exit 2); it is not a card failure.
int QrExit(Context& ctx, const Status& st) {
  ctx.Fail(st);
  return st.code() == Code::kInvalidArgument ? kExitBadInput : kExitFailed;
}

// The configured reader, or the one --driver names.
Result<std::unique_ptr<CardReader>> OpenReader(Context& ctx, const std::optional<std::string>& driver) {
  auto cfg = ctx.Config();
  if (!cfg.ok()) return cfg.status();
  KioskConfig c = **cfg;
  if (driver) c.card_reader = *driver;
  return MakeCardReader(c);
}

void PrintIdentity(const Identity& id, bool as_json) {
  const json j = IdentityToJson(id);
  if (as_json) {
    PrintJson(j);
    return;
  }
  static const std::pair<const char*, const char*> kLabels[] = {{"id_number", "Số định danh"},
                                                                {"full_name", "Họ và tên"},
                                                                {"date_of_birth", "Ngày sinh"},
                                                                {"gender", "Giới tính"},
                                                                {"nationality", "Quốc tịch"},
                                                                {"ethnicity", "Dân tộc"},
                                                                {"religion", "Tôn giáo"},
                                                                {"place_of_origin", "Quê quán"},
                                                                {"place_of_residence", "Nơi thường trú"},
                                                                {"identifying_marks", "Đặc điểm nhận dạng"},
                                                                {"date_of_issue", "Ngày cấp"},
                                                                {"date_of_expiry", "Có giá trị đến"},
                                                                {"father_name", "Họ tên cha"},
                                                                {"mother_name", "Họ tên mẹ"},
                                                                {"spouse_name", "Họ tên vợ/chồng"},
                                                                {"old_id_number", "Số CMND cũ"}};
  for (const auto& [key, label] : kLabels) {
    if (j.contains(key)) std::cout << label << " (" << key << "): " << j[key].get<std::string>() << "\n";
  }
  if (id.mrz) {
    std::cout << "MRZ: " << id.mrz->document_number << " " << id.mrz->surname << " / " << id.mrz->given_names << " "
              << id.mrz->date_of_birth << " " << id.mrz->date_of_expiry << " " << id.mrz->nationality << "\n";
  }
  std::cout << "Nguồn (source): " << id.source << "\n";
  if (id.source == "chip") {
    std::cout << "Toàn vẹn dữ liệu chíp (chip_verified): " << (id.chip_verified ? "có" : "KHÔNG") << "\n";
    if (id.sod_signature_valid) {
      std::cout << "Chữ ký số (sod_signature_valid): " << (*id.sod_signature_valid ? "hợp lệ" : "KHÔNG hợp lệ") << "\n";
    } else {
      std::cout << "Chữ ký số: chưa kiểm tra (chưa cấu hình csca_file)\n";
    }
    std::cout << "Chứng minh khoá của chip (key_proof): " << id.key_proof << "\n";
  }
  std::cout << "Mức xác minh (assurance): " << AssuranceName(id.assurance) << "\n";
  if (id.source == "chip" && id.assurance != Assurance::kChipVerified) {
    std::cout << "  KHÔNG phải \"đã xác minh\": "
              << (id.chip_verified ? (id.sod_signature_valid ? "thẻ không có chứng minh khoá (DG14/DG15)"
                                                             : "chưa cấu hình csca_file")
                                   : "dữ liệu chip không khớp SOD")
              << "\n";
  }
}

int CardList(Context& ctx) {
  auto driver = ctx.TakeOption("--driver");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  auto reader = OpenReader(ctx, driver);
  if (!reader.ok()) return ctx.Fail(reader.status());
  auto list = (*reader)->ListReaders();
  if (!list.ok()) return CardExit(ctx, list.error());
  if (ctx.json()) {
    PrintJson(json{{"readers", *list}});
  } else if (list->empty()) {
    std::cout << "Không có đầu đọc thẻ nào / no card reader\n";
  } else {
    for (const auto& r : *list) std::cout << r << "\n";
  }
  return kExitOk;
}

CardResult<AccessKey> KeyFromOptions(Context& ctx) {
  auto bad = [](const std::string& en, const std::string& vi) { return MakeCardError(CardFailure::kBadKey, en, vi); };
  auto mrz = ctx.TakeOption("--mrz");
  auto qr = ctx.TakeOption("--qr");
  auto id = ctx.TakeOption("--id");
  auto dob = ctx.TakeOption("--dob");
  auto expiry = ctx.TakeOption("--expiry");
  const int ways = (mrz ? 1 : 0) + (qr ? 1 : 0) + (id ? 1 : 0);
  if (ways != 1) {
    return bad("give exactly one of --mrz, --qr, --id", "Cần đúng một trong --mrz, --qr hoặc --id (kèm --dob)");
  }
  if (mrz) {
    const size_t a = mrz->find(','), b = mrz->find(',', a == std::string::npos ? a : a + 1);
    if (a == std::string::npos || b == std::string::npos) {
      return bad("--mrz needs DOCNO,YYMMDD,YYMMDD", "--mrz cần dạng SỐGIẤYTỜ,YYMMDD,YYMMDD");
    }
    AccessKey k;
    k.document_number = mrz->substr(0, a);
    k.date_of_birth = mrz->substr(a + 1, b - a - 1);
    k.date_of_expiry = mrz->substr(b + 1);
    auto info = BacMrzInformation(k.document_number, k.date_of_birth, k.date_of_expiry);
    if (!info.ok()) return bad(info.status().message_en(), info.status().message_vi());
    return k;
  }
  if (qr) {
    auto parsed = ParseCccdQr(*qr);
    if (!parsed.ok()) return AsCardError(CardFailure::kBadKey, parsed.status());  // not a CCCD QR: exit 2
    auto k = AccessKeyFromQr(*parsed);
    if (!k.ok()) return AsCardError(CardFailure::kBadKey, k.status());
    return std::move(*k);
  }
  if (!dob) return bad("--id needs --dob YYYY-MM-DD", "--id cần kèm --dob YYYY-MM-DD");
  auto d = ParseDate(*dob);
  if (!d) return bad("--dob must be YYYY-MM-DD", "--dob phải có dạng YYYY-MM-DD");
  std::optional<CivilDate> e;
  if (expiry) {
    e = ParseDate(*expiry);
    if (!e) return bad("--expiry must be YYYY-MM-DD", "--expiry phải có dạng YYYY-MM-DD");
  }
  auto k = AccessKeyFromIdNumber(*id, *d, e);
  if (!k.ok()) return bad(k.status().message_en(), k.status().message_vi());
  return std::move(*k);
}

int CardRead(Context& ctx) {
  auto driver = ctx.TakeOption("--driver");
  auto reader_name = ctx.TakeOption("--reader");
  auto face_out = ctx.TakeOption("--face-out");
  const bool stats = ctx.TakeFlag("--stats");
  const bool short_apdus = ctx.TakeFlag("--short-apdus");
  auto key = KeyFromOptions(ctx);
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!ctx.args().empty()) {
    std::cerr << "Usage: kioskctl card read [--reader NAME] [--mrz DOCNO,YYMMDD,YYMMDD | --qr STRING | --id ID --dob "
                 "YYYY-MM-DD [--expiry YYYY-MM-DD]] [--json]\n";
    return kExitBadInput;
  }
  if (!key.ok()) return CardExit(ctx, key.error());
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  KioskConfig c = **cfg;
  if (driver) c.card_reader = *driver;
  std::unique_ptr<CardReader> reader;
  PcscCardReader* pcsc = nullptr;
  if (c.card_reader == "pcsc") {  // built here rather than by MakeCardReader: --stats and --face-out need it
    PcscOptions o;
    o.reader_name = c.card_reader_name;
    o.csca_file = c.csca_file;
    o.crl_file = c.crl_file;
    o.read_face = face_out.has_value();
    o.allow_extended = !short_apdus;
    auto p = std::make_unique<PcscCardReader>(std::move(o));
    pcsc = p.get();
    reader = std::move(p);
  } else {
    auto r = MakeCardReader(c);
    if (!r.ok()) return ctx.Fail(r.status());
    reader = std::move(*r);
  }
  const auto start = std::chrono::steady_clock::now();
  auto id = reader->Read(reader_name.value_or(""), *key, nullptr);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (stats && pcsc) {
    const EmrtdStats& s = pcsc->last_stats();
    std::cerr << "stats: apdus=" << s.apdus << " bytes_sent=" << s.bytes_sent << " bytes_received=" << s.bytes_received
              << " bac_attempts=" << s.bac_attempts << " pace_attempts=" << s.pace_attempts
              << " chip_auth_attempts=" << s.chip_auth_attempts << " active_auth_attempts=" << s.active_auth_attempts
              << " ms=" << static_cast<long>(ms);
    for (const auto& [name, size] : s.files) std::cerr << " " << name << "=" << size;
    std::cerr << "\n";
  }
  if (!id.ok()) return CardExit(ctx, id.error());
  if (face_out && !id->face_jp2.empty()) {
    std::ofstream(*face_out, std::ios::binary) << id->face_jp2;
  }
  PrintIdentity(*id, ctx.json());
  return kExitOk;
}

const char* EventName(CardEventKind k) {
  switch (k) {
    case CardEventKind::kReaderAdded: return "reader_added";
    case CardEventKind::kReaderRemoved: return "reader_removed";
    case CardEventKind::kCardInserted: return "card_inserted";
    case CardEventKind::kCardRemoved: return "card_removed";
  }
  return "?";
}

int CardWatch(Context& ctx) {
  auto driver = ctx.TakeOption("--driver");
  auto seconds = ctx.TakeOption("--seconds");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  auto reader = OpenReader(ctx, driver);
  if (!reader.ok()) return ctx.Fail(reader.status());
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds ? std::atoi(seconds->c_str()) : 30);
  while (std::chrono::steady_clock::now() < end) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    auto ev = (*reader)->WaitForChange(left);
    if (!ev.ok()) return CardExit(ctx, ev.error());
    for (const auto& e : *ev) {
      if (ctx.json()) {
        std::cout << json{{"event", EventName(e.kind)}, {"reader", e.reader}}.dump() << std::endl;
      } else {
        std::cout << EventName(e.kind) << " " << e.reader << std::endl;
      }
    }
  }
  return kExitOk;
}

int CardSim(Context& ctx) {
  auto fault = ctx.TakeOption("--fault");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  const auto& a = ctx.args();
  const auto path = DefaultSimStatePath();
  auto state = ReadSimState(path);
  if (!state.ok()) return ctx.Fail(state.status());
  SimState s = *state;
  const std::string verb = a.empty() ? "" : a[0];
  if (verb == "insert" && a.size() == 2) {
    s.card = std::atoi(a[1].c_str());
    s.fault = fault.value_or("");
    if (s.card < 1) {
      std::cerr << "insert cần số thứ tự danh tính từ 1 / needs an identity number from 1\n";
      return kExitBadInput;
    }
    static const char* kFaults[] = {"", "wrong_key", "not_emrtd", "card_removed", "reader_unplugged"};
    if (std::find(std::begin(kFaults), std::end(kFaults), s.fault) == std::end(kFaults)) {
      std::cerr << "--fault: wrong_key | not_emrtd | card_removed | reader_unplugged\n";
      return kExitBadInput;
    }
  } else if (verb == "remove" && a.size() == 1) {
    s.card = 0;
    s.fault.clear();
  } else if (verb == "unplug" && a.size() == 1) {
    s.reader = false;
  } else if (verb == "plug" && a.size() == 1) {
    s.reader = true;
  } else if (verb != "status" || a.size() != 1) {
    std::cerr << "Usage: kioskctl card sim insert N [--fault KIND] | remove | unplug | plug | status\n";
    return kExitBadInput;
  }
  if (verb != "status") {
    if (Status st = WriteSimState(path, s); !st.ok()) return ctx.Fail(st);
  }
  const json j = {{"state_file", path.string()}, {"reader", s.reader}, {"card", s.card}, {"fault", s.fault}};
  if (ctx.json()) {
    PrintJson(j);
  } else {
    std::cout << "reader=" << (s.reader ? "plugged" : "unplugged") << " card=" << s.card
              << (s.fault.empty() ? "" : " fault=" + s.fault) << " (" << path.string() << ")\n";
  }
  return kExitOk;
}

int QrParse(Context& ctx) {
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (ctx.args().size() != 1) {
    std::cerr << "Usage: kioskctl qr parse \"STRING\" [--json]\n";
    return kExitBadInput;
  }
  auto id = ParseCccdQr(ctx.args()[0]);
  if (!id.ok()) return QrExit(ctx, id.status());
  PrintIdentity(*id, ctx.json());
  return kExitOk;
}

int QrScan(Context& ctx) {
  auto device = ctx.TakeOption("--device");
  auto seconds = ctx.TakeOption("--seconds");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  std::string spec;
  if (device) {
    spec = *device;
  } else {
    auto cfg = ctx.Config();
    if (!cfg.ok()) return ctx.Fail(cfg.status());
    spec = (*cfg)->qr_scanner;
  }
  if (spec.rfind("serial:", 0) != 0 && spec.rfind("/dev/", 0) != 0) {
    std::cerr << "Máy quét QR không phải loại cổng nối tiếp (" << spec
              << "); dùng --device serial:/dev/ttyACM0?baud=9600 / the scanner is not a serial one\n";
    return kExitBadInput;
  }
  auto scanner = SerialQrScanner::Open(spec);
  if (!scanner.ok()) return ctx.Fail(scanner.status());
  auto line = (*scanner)->ReadLine(std::chrono::seconds(seconds ? std::atoi(seconds->c_str()) : 30));
  if (!line.ok()) return ctx.Fail(line.status());
  if (!*line) {
    std::cerr << "Không quét được mã nào trong thời gian chờ / nothing scanned before the timeout\n";
    return kExitFailed;
  }
  auto id = ParseCccdQr(**line);
  if (!id.ok()) return QrExit(ctx, id.status());
  PrintIdentity(*id, ctx.json());
  return kExitOk;
}

const CommandRegistration kList({"card list", "[--driver pcsc|sim] [--json]", "List the card readers", CardList});
const CommandRegistration kRead(
    {"card read",
     "[--reader NAME] [--mrz DOCNO,YYMMDD,YYMMDD | --qr STRING | --id ID --dob YYYY-MM-DD [--expiry YYYY-MM-DD]] "
     "[--driver pcsc|sim] [--stats] [--face-out FILE] [--short-apdus] [--json]",
     "Read the chip ID card (BAC, secure messaging, DG1/DG13/SOD checked) and print the identity", CardRead});
const CommandRegistration kWatch({"card watch", "[--seconds N] [--driver pcsc|sim] [--json]",
                                  "Print reader and card events as they happen", CardWatch});
const CommandRegistration kSim({"card sim", "insert N [--fault KIND] | remove | unplug | plug | status",
                                "Drive the simulated reader from outside the kiosk", CardSim});
const CommandRegistration kQrParse({"qr parse", "\"STRING\" [--json]", "Parse and check a CCCD QR code", QrParse});
const CommandRegistration kQrScan({"qr scan", "[--device serial:/dev/ttyACM0?baud=9600] [--seconds N] [--json]",
                                   "Read one QR from the serial scanner and parse it", QrScan});

}  // namespace
}  // namespace mck::ctl
