// The one Printer implementation: ESC/POS over any Transport. The device is opened for each
// call and closed after it, so an unplugged or restarted printer costs one failed call, not a
// restart of the kiosk, and a network printer is free for other clients between jobs.
#include <cstdio>

#include "drivers/printer/escpos.h"
#include "drivers/printer/printer.h"
#include "drivers/printer/transport.h"

namespace mck::printer {
namespace {

class EscPosPrinter final : public Printer {
 public:
  EscPosPrinter(std::string uri_text, PrinterUri uri, PrinterOptions options)
      : uri_text_(std::move(uri_text)), uri_(std::move(uri)), options_(options) {}

  std::string Uri() const override { return uri_text_; }

  Result<PaperState> QueryStatus() override {
    // No back channel (a file, or status turned off): nothing to ask, and nothing opened — a
    // state poll must not create the file or hold the device.
    if (uri_.kind == PrinterUri::Kind::kFile || !options_.query_status || !uri_.status.value_or(true)) {
      return PaperState::kUnknown;
    }
    auto t = OpenTransport(uri_, options_);
    if (!t.ok()) return t.status();
    if (!StatusEnabled(**t)) return PaperState::kUnknown;
    return Query(**t, options_.status_timeout);
  }

  Status Print(const Raster& page) override {
    if (!page.Valid() || page.stride() > 65535) {
      return Status::Error(Code::kInvalidArgument, "empty or malformed raster", "Trang in rỗng hoặc sai kích thước");
    }
    auto t = OpenTransport(uri_, options_);
    if (!t.ok()) return t.status();
    Transport& tr = **t;
    const bool status = StatusEnabled(tr);
    if (status) {
      auto before = Query(tr, options_.status_timeout);
      if (!before.ok()) return before.status();
      if (Status st = Refuse(*before, false); !st.ok()) return st;
    }
    MCK_RETURN_IF_ERROR(tr.Write(escpos::EncodeJob(page)));
    if (status) {
      // The printer reads our DLE EOT only after it has made room in its buffer, i.e. after
      // printing most of the job: give it io_timeout, the same "no progress" window as writes.
      auto after = Query(tr, uri_.timeout.value_or(options_.io_timeout));
      if (!after.ok()) {
        const Status& st = after.status();
        return Status::Error(st.code(), "job sent but the printer did not confirm: " + st.message_en(),
                             "Đã gửi phiếu nhưng máy in không xác nhận đã in: " + st.message_vi());
      }
      if (Status st = Refuse(*after, true); !st.ok()) return st;
    }
    return Status::Ok();
  }

 private:
  bool StatusEnabled(const Transport& t) const {
    return t.CanRead() && options_.query_status && uri_.status.value_or(true);
  }

  static Status Refuse(PaperState s, bool during) {
    if (s != PaperState::kPaperOut && s != PaperState::kCoverOpen && s != PaperState::kOffline) return Status::Ok();
    const std::string en =
        std::string("printer reports ") + PaperStateName(s) + (during ? " after the job" : "; nothing sent");
    const std::string vi = std::string(PaperStateTextVi(s)) +
                           (during ? ": phiếu có thể chưa in đủ, vui lòng báo nhân viên kiểm tra và in lại"
                                   : ": chưa in được phiếu, vui lòng báo nhân viên");
    return Status::Error(Code::kUnavailable, en, vi);
  }

  static Result<PaperState> Query(Transport& t, std::chrono::milliseconds timeout) {
    using escpos::StatusRequest;
    t.DrainInput();
    escpos::PrinterStatus s;
    for (StatusRequest n : {StatusRequest::kPrinter, StatusRequest::kOfflineCause, StatusRequest::kErrorCause,
                            StatusRequest::kPaperSensor}) {
      MCK_RETURN_IF_ERROR(t.Write(escpos::StatusQuery(n)));
      // Skip a few bytes that are not status answers (e.g. an automatic status frame).
      for (int tries = 0;; ++tries) {
        auto b = t.ReadByte(timeout);
        if (!b.ok()) return b.status();
        if (escpos::DecodeStatusByte(n, *b, &s)) break;
        if (tries == 8) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "%02X", *b);
          return Status::Error(Code::kUnavailable,
                               std::string("printer answered DLE EOT with 0x") + hex + ", not a status byte",
                               "Máy in trả lời trạng thái không đúng chuẩn ESC/POS");
        }
      }
    }
    return escpos::Summarize(s);
  }

  std::string uri_text_;
  PrinterUri uri_;
  PrinterOptions options_;
};

}  // namespace

Result<std::unique_ptr<Printer>> OpenPrinter(const std::string& uri, const PrinterOptions& options) {
  auto parsed = ParsePrinterUri(uri);
  if (!parsed.ok()) return parsed.status();
  return std::unique_ptr<Printer>(new EscPosPrinter(uri, std::move(parsed.value()), options));
}

}  // namespace mck::printer
