// SANE behind Scanner (scanner.h). One sane_init per process while anything uses SANE.
#include <dlfcn.h>
#include <pthread.h>
#include <sane/sane.h>
#include <sane/saneopts.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <functional>
#include <mutex>

#include "drivers/scanner/scanner.h"
#include "offline/domain/log.h"

// SANE's sanei_thread, compiled into many backends (the test backend among them), runs a
// backend's reader as a thread that asks for *asynchronous* cancellation, and sane_cancel cancels
// it. A cancel that lands while the reader is inside malloc or free leaves the allocator's lock
// held: the reader then deadlocks as it exits, and sane_cancel, which joins it, never returns (seen:
// ui_scan_test hung in sane_test_cancel -> sanei_thread_waitpid, the reader stuck in
// tcache_thread_shutdown; the reader frees its buffer right after its last write, exactly when the
// page's last bytes arrive and we cancel). Every program linking this driver answers that request
// with deferred cancellation: the reader then ends at its next cancellation point (its blocking
// write to the pipe, a sleep) or by returning, never inside the allocator. Nothing else in the
// kiosk cancels threads. --export-dynamic-symbol (CMakeLists.txt) makes the backends, loaded with
// dlopen, bind to this definition; scanner_tests checks that they do.
extern "C" int pthread_setcanceltype(int type, int* oldtype) {
  using Fn = int (*)(int, int*);
  static const Fn libc = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "pthread_setcanceltype"));
  return libc(type == PTHREAD_CANCEL_ASYNCHRONOUS ? PTHREAD_CANCEL_DEFERRED : type, oldtype);
}

namespace mck::scanner {
// sane_init/sane_exit, counted: the first user initialises, the last one exits. Outside the
// anonymous namespace: Scanner::Handle, a class with linkage, holds one.
class SaneUse {
 public:
  SaneUse() {
    std::lock_guard<std::mutex> lock(mu_);
    if (users_++ == 0) {
      SANE_Int version = 0;
      status_ = sane_init(&version, nullptr);
    }
  }
  ~SaneUse() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--users_ == 0) sane_exit();
  }
  SaneUse(const SaneUse&) = delete;
  SaneUse& operator=(const SaneUse&) = delete;
  bool ok() const { return status_ == SANE_STATUS_GOOD; }

 private:
  static inline std::mutex mu_;
  static inline int users_ = 0;
  SANE_Status status_ = SANE_STATUS_GOOD;
};

namespace {

ScanProblem ProblemFromSane(SANE_Status s) {
  switch (s) {
    case SANE_STATUS_NO_DOCS: return ScanProblem::kFeederEmpty;
    case SANE_STATUS_JAMMED: return ScanProblem::kJammed;
    case SANE_STATUS_COVER_OPEN: return ScanProblem::kCoverOpen;
    case SANE_STATUS_DEVICE_BUSY: return ScanProblem::kBusy;
    case SANE_STATUS_CANCELLED: return ScanProblem::kCancelled;
    case SANE_STATUS_UNSUPPORTED:
    case SANE_STATUS_INVAL: return ScanProblem::kUnsupported;
    default: return ScanProblem::kIo;
  }
}

Status Fail(ScanProblem p, ScanProblem* out, const std::string& detail_en = {}) {
  if (out != nullptr) *out = p;
  Status st = ProblemStatus(p);
  if (!detail_en.empty()) st = Status::Error(st.code(), st.message_en() + " (" + detail_en + ")", st.message_vi());
  return st;
}

bool Lower(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}
bool Contains(std::string_view hay, std::string_view needle) {
  std::string h(hay), n(needle);
  for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return h.find(n) != std::string::npos;
}

}  // namespace

const char* ScanProblemName(ScanProblem p) {
  switch (p) {
    case ScanProblem::kNone: return "none";
    case ScanProblem::kNoScanner: return "no_scanner";
    case ScanProblem::kFeederEmpty: return "feeder_empty";
    case ScanProblem::kJammed: return "jammed";
    case ScanProblem::kCoverOpen: return "cover_open";
    case ScanProblem::kDeviceGone: return "device_gone";
    case ScanProblem::kIo: return "io";
    case ScanProblem::kBusy: return "busy";
    case ScanProblem::kCancelled: return "cancelled";
    case ScanProblem::kUnsupported: return "unsupported";
  }
  return "unknown";
}

Status ProblemStatus(ScanProblem p) {
  switch (p) {
    case ScanProblem::kNone: return Status::Ok();
    case ScanProblem::kNoScanner:
      return Status::Error(Code::kUnavailable, "no scanner found", "Chưa thấy máy quét. Xin mời liên hệ cán bộ.");
    case ScanProblem::kFeederEmpty:
      return Status::Error(Code::kFailedPrecondition, "the document feeder is empty",
                           "Khay nạp giấy đang trống. Xin đặt giấy tờ vào khay rồi bấm quét.");
    case ScanProblem::kJammed:
      return Status::Error(Code::kRejected, "paper jam in the scanner",
                           "Giấy bị kẹt trong máy quét. Xin nhẹ nhàng lấy tờ giấy ra rồi quét tiếp; "
                           "các trang đã quét vẫn được giữ.");
    case ScanProblem::kCoverOpen:
      return Status::Error(Code::kRejected, "the scanner's cover is open",
                           "Nắp máy quét đang mở. Xin đóng nắp rồi quét tiếp; các trang đã quét vẫn được giữ.");
    case ScanProblem::kDeviceGone:
      return Status::Error(Code::kUnavailable, "the scanner stopped answering mid-page (unplugged?)",
                           "Máy quét ngừng giữa chừng. Xin kiểm tra dây cắm; các trang đã quét vẫn được giữ.");
    case ScanProblem::kIo:
      return Status::Error(Code::kIo, "the scanner reported an I/O error",
                           "Máy quét gặp lỗi. Xin thử quét lại trang này; các trang đã quét vẫn được giữ.");
    case ScanProblem::kBusy:
      return Status::Error(Code::kUnavailable, "the scanner is busy", "Máy quét đang bận. Xin chờ một chút rồi thử lại.");
    case ScanProblem::kCancelled:
      return Status::Error(Code::kFailedPrecondition, "scan cancelled", "Đã dừng quét.");
    case ScanProblem::kUnsupported:
      return Status::Error(Code::kFailedPrecondition, "the scanner cannot do what was asked",
                           "Máy quét không hỗ trợ cách quét này. Xin mời liên hệ cán bộ.");
  }
  return Status::Error(Code::kInternal, "unknown scan problem", "Máy quét gặp lỗi.");
}

struct Scanner::Handle {
  SaneUse sane;
  SANE_Handle h = nullptr;
  ~Handle() {
    if (h != nullptr) sane_close(h);
  }
  // Option number by SANE name, or -1.
  int Find(const std::string& name, const SANE_Option_Descriptor** desc) const {
    SANE_Int count = 0;
    if (sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD) return -1;
    for (SANE_Int i = 1; i < count; ++i) {
      const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, i);
      if (d != nullptr && d->name != nullptr && name == d->name) {
        *desc = d;
        return i;
      }
    }
    return -1;
  }
  bool Active(const SANE_Option_Descriptor* d) const { return SANE_OPTION_IS_ACTIVE(d->cap) && SANE_OPTION_IS_SETTABLE(d->cap); }

  // Sets option `name` from text: strings as given, bools yes/no, numbers (mm, dpi) as decimals.
  Status Set(const std::string& name, const std::string& value) {
    const SANE_Option_Descriptor* d = nullptr;
    const int n = Find(name, &d);
    if (n < 0) return Status::Error(Code::kInvalidArgument, "scanner option '" + name + "' does not exist",
                                    "Máy quét không có tuỳ chọn '" + name + "'");
    if (!Active(d)) return Status::Error(Code::kFailedPrecondition, "scanner option '" + name + "' is not settable now",
                                         "Tuỳ chọn '" + name + "' của máy quét chưa dùng được");
    SANE_Status s = SANE_STATUS_GOOD;
    SANE_Int info = 0;
    switch (d->type) {
      case SANE_TYPE_STRING: {
        std::string v = value;
        if (d->constraint_type == SANE_CONSTRAINT_STRING_LIST) {  // the device's spelling
          for (const SANE_String_Const* p = d->constraint.string_list; *p != nullptr; ++p)
            if (Lower(*p, value)) v = *p;
        }
        if (d->size <= 0 || v.size() + 1 > static_cast<size_t>(d->size)) {
          return Status::Error(Code::kInvalidArgument, "scanner option '" + name + "': value too long",
                               "Giá trị của tuỳ chọn '" + name + "' quá dài");
        }
        std::vector<char> buf(static_cast<size_t>(d->size), '\0');
        std::memcpy(buf.data(), v.data(), v.size());
        s = sane_control_option(h, n, SANE_ACTION_SET_VALUE, buf.data(), &info);
        break;
      }
      case SANE_TYPE_BOOL: {
        SANE_Bool b = (value == "yes" || value == "true" || value == "1") ? SANE_TRUE : SANE_FALSE;
        s = sane_control_option(h, n, SANE_ACTION_SET_VALUE, &b, &info);
        break;
      }
      case SANE_TYPE_INT:
      case SANE_TYPE_FIXED: {
        double x = 0;
        try {
          x = std::stod(value);
        } catch (...) {
          return Status::Error(Code::kInvalidArgument, "scanner option '" + name + "' needs a number",
                               "Tuỳ chọn '" + name + "' cần một số");
        }
        const bool fixed = d->type == SANE_TYPE_FIXED;
        if (d->constraint_type == SANE_CONSTRAINT_RANGE) {  // clamp into the device's range
          const SANE_Range* r = d->constraint.range;
          const double lo = fixed ? SANE_UNFIX(r->min) : r->min, hi = fixed ? SANE_UNFIX(r->max) : r->max;
          x = std::clamp(x, lo, hi);
        } else if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list[0] > 0) {
          // the nearest value the device offers
          double best = 0, dist = 1e300;
          for (SANE_Int i = 1; i <= d->constraint.word_list[0]; ++i) {
            const double w = fixed ? SANE_UNFIX(d->constraint.word_list[i]) : d->constraint.word_list[i];
            if (std::fabs(w - x) < dist) dist = std::fabs(w - x), best = w;
          }
          x = best;
        }
        SANE_Word w = fixed ? SANE_FIX(x) : static_cast<SANE_Word>(std::lround(x));
        s = sane_control_option(h, n, SANE_ACTION_SET_VALUE, &w, &info);
        break;
      }
      default:
        return Status::Error(Code::kInvalidArgument, "scanner option '" + name + "' cannot be set from text",
                             "Không đặt được tuỳ chọn '" + name + "'");
    }
    if (s != SANE_STATUS_GOOD) {
      return Status::Error(Code::kFailedPrecondition,
                           "scanner option '" + name + "' refused: " + sane_strstatus(s),
                           "Máy quét không nhận tuỳ chọn '" + name + "'");
    }
    return Status::Ok();
  }
  // A number option's value (mm or dpi), or NaN.
  double Get(const std::string& name) const {
    const SANE_Option_Descriptor* d = nullptr;
    const int n = Find(name, &d);
    if (n < 0 || (d->type != SANE_TYPE_INT && d->type != SANE_TYPE_FIXED) || d->size != sizeof(SANE_Word)) return NAN;
    SANE_Word w = 0;
    if (sane_control_option(h, n, SANE_ACTION_GET_VALUE, &w, nullptr) != SANE_STATUS_GOOD) return NAN;
    return d->type == SANE_TYPE_FIXED ? SANE_UNFIX(w) : w;
  }
  // The string list of an option, for picking a source or a mode.
  std::vector<std::string> Choices(const std::string& name) const {
    const SANE_Option_Descriptor* d = nullptr;
    std::vector<std::string> out;
    if (Find(name, &d) < 0 || d->constraint_type != SANE_CONSTRAINT_STRING_LIST) return out;
    for (const SANE_String_Const* p = d->constraint.string_list; *p != nullptr; ++p) out.emplace_back(*p);
    return out;
  }
};

Result<std::vector<DeviceInfo>> Scanner::List() {
  SaneUse sane;
  if (!sane.ok()) return Status::Error(Code::kUnavailable, "SANE did not initialise", "Không khởi động được máy quét");
  const SANE_Device** list = nullptr;
  const SANE_Status s = sane_get_devices(&list, SANE_FALSE);
  if (s != SANE_STATUS_GOOD) {
    return Status::Error(Code::kIo, std::string("listing scanners failed: ") + sane_strstatus(s),
                         "Không liệt kê được máy quét");
  }
  std::vector<DeviceInfo> out;
  for (const SANE_Device** d = list; d != nullptr && *d != nullptr; ++d) {
    out.push_back({(*d)->name ? (*d)->name : "", (*d)->vendor ? (*d)->vendor : "", (*d)->model ? (*d)->model : "",
                   (*d)->type ? (*d)->type : ""});
  }
  return out;
}

Scanner::Scanner(std::string device, std::unique_ptr<Handle> handle)
    : device_(std::move(device)), handle_(std::move(handle)) {}
Scanner::~Scanner() = default;

Result<std::unique_ptr<Scanner>> Scanner::Open(const std::string& device, ScanProblem* problem) {
  auto handle = std::make_unique<Handle>();
  if (!handle->sane.ok()) return Fail(ScanProblem::kNoScanner, problem, "sane_init failed");
  std::string name = device;
  if (name.empty()) {
    const SANE_Device** list = nullptr;
    if (sane_get_devices(&list, SANE_FALSE) != SANE_STATUS_GOOD || list == nullptr || list[0] == nullptr) {
      return Fail(ScanProblem::kNoScanner, problem);
    }
    name = list[0]->name;
  }
  const SANE_Status s = sane_open(name.c_str(), &handle->h);
  if (s != SANE_STATUS_GOOD) {
    handle->h = nullptr;
    ScanProblem p = ProblemFromSane(s);
    if (s == SANE_STATUS_INVAL || s == SANE_STATUS_IO_ERROR || s == SANE_STATUS_UNSUPPORTED) p = ScanProblem::kNoScanner;
    return Fail(p, problem, std::string("sane_open: ") + sane_strstatus(s));
  }
  if (problem != nullptr) *problem = ScanProblem::kNone;
  return std::unique_ptr<Scanner>(new Scanner(name, std::move(handle)));
}

Status Scanner::Configure(const ScanSettings& settings, ScanProblem* problem) {
  Handle& h = *handle_;
  // Mode grey first: it changes which other options exist.
  {
    std::string grey;
    for (const auto& c : h.Choices(SANE_NAME_SCAN_MODE))
      if (Lower(c, SANE_VALUE_SCAN_MODE_GRAY) || Lower(c, "Grey") || Lower(c, "Greyscale")) grey = c;
    if (grey.empty()) return Fail(ScanProblem::kUnsupported, problem, "no grey mode");
    MCK_RETURN_IF_ERROR(h.Set(SANE_NAME_SCAN_MODE, grey));
  }
  {
    std::string src;
    const auto choices = h.Choices(SANE_NAME_SCAN_SOURCE);
    for (const auto& c : choices) {
      const bool feeder = Contains(c, "adf") || Contains(c, "feeder");
      const bool duplex = Contains(c, "duplex");
      if (settings.source == Source::kFeeder ? (feeder && !duplex) : (!feeder && (Contains(c, "flatbed") || src.empty())))
        if (src.empty()) src = c;
    }
    if (src.empty() && settings.source == Source::kFeeder) return Fail(ScanProblem::kUnsupported, problem, "no feeder");
    if (!src.empty()) MCK_RETURN_IF_ERROR(h.Set(SANE_NAME_SCAN_SOURCE, src));
  }
  {
    const SANE_Option_Descriptor* d = nullptr;
    if (h.Find("depth", &d) >= 0 && h.Active(d)) MCK_RETURN_IF_ERROR(h.Set("depth", "8"));
  }
  MCK_RETURN_IF_ERROR(h.Set(SANE_NAME_SCAN_RESOLUTION, std::to_string(settings.dpi)));
  // Geometry: top-left at 0,0, bottom-right at the size asked (clamped to the device's range).
  const SANE_Option_Descriptor* d = nullptr;
  if (h.Find(SANE_NAME_SCAN_TL_X, &d) >= 0) {
    MCK_RETURN_IF_ERROR(h.Set(SANE_NAME_SCAN_TL_X, "0"));
    MCK_RETURN_IF_ERROR(h.Set(SANE_NAME_SCAN_TL_Y, "0"));
    MCK_RETURN_IF_ERROR(h.Set(SANE_NAME_SCAN_BR_X, std::to_string(settings.width_mm)));
    MCK_RETURN_IF_ERROR(h.Set(SANE_NAME_SCAN_BR_Y, std::to_string(settings.height_mm)));
  }
  for (const auto& [name, value] : settings.extra) MCK_RETURN_IF_ERROR(h.Set(name, value));
  source_ = settings.source;
  dpi_ = static_cast<int>(std::lround(h.Get(SANE_NAME_SCAN_RESOLUTION)));
  width_mm_ = h.Get(SANE_NAME_SCAN_BR_X) - h.Get(SANE_NAME_SCAN_TL_X);
  height_mm_ = h.Get(SANE_NAME_SCAN_BR_Y) - h.Get(SANE_NAME_SCAN_TL_Y);
  if (width_mm_ + 1.0 < settings.width_mm || height_mm_ + 1.0 < settings.height_mm) {
    Log(Severity::kWarning, "scanner",
        "the device scans " + std::to_string(width_mm_) + " x " + std::to_string(height_mm_) +
            " mm, less than asked (clamped to its bed)");
  }
  if (problem != nullptr) *problem = ScanProblem::kNone;
  return Status::Ok();
}

Status Scanner::SetOption(const std::string& name, const std::string& value) { return handle_->Set(name, value); }

Result<Page> Scanner::ScanPage(ScanProblem* problem) {
  SANE_Handle h = handle_->h;
  if (cancelled_.exchange(false)) return Fail(ScanProblem::kCancelled, problem);
  SANE_Status s = sane_start(h);
  if (s != SANE_STATUS_GOOD) {
    // No sane_cancel after a refused start: nothing runs, and for the test backend a cancel
    // would refill its feeder.
    return Fail(ProblemFromSane(s), problem, std::string("sane_start: ") + sane_strstatus(s));
  }
  SANE_Parameters p{};
  s = sane_get_parameters(h, &p);
  if (s != SANE_STATUS_GOOD || p.format != SANE_FRAME_GRAY || (p.depth != 8 && p.depth != 16) || p.pixels_per_line <= 0) {
    sane_cancel(h);
    return Fail(ScanProblem::kUnsupported, problem, "not an 8- or 16-bit grey frame");
  }
  const size_t bpl = static_cast<size_t>(p.bytes_per_line);
  std::vector<uint8_t> raw;
  if (p.lines > 0) raw.reserve(bpl * static_cast<size_t>(p.lines));
  std::vector<uint8_t> buf(64 * 1024);
  for (;;) {
    SANE_Int got = 0;
    s = sane_read(h, buf.data(), static_cast<SANE_Int>(buf.size()), &got);
    if (s == SANE_STATUS_GOOD) {
      raw.insert(raw.end(), buf.begin(), buf.begin() + got);
      continue;
    }
    if (s == SANE_STATUS_EOF) break;
    sane_cancel(h);
    ScanProblem pr = ProblemFromSane(s);
    if (s == SANE_STATUS_IO_ERROR) {
      // Still there? A device that no longer answers a plain option read has gone away.
      SANE_Int count = 0;
      if (sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD) {
        pr = ScanProblem::kDeviceGone;
      }
    }
    if (cancelled_.exchange(false)) pr = ScanProblem::kCancelled;
    return Fail(pr, problem, std::string("sane_read: ") + sane_strstatus(s));
  }
  // A page that ends before the lines it announced was cut off: the device stopped mid-page.
  const size_t lines = raw.size() / bpl;
  if (lines == 0 || (p.lines > 0 && lines < static_cast<size_t>(p.lines))) {
    sane_cancel(h);
    // A cancel makes some backends end the page early with EOF: that is the cancel, not a loss.
    if (cancelled_.exchange(false)) return Fail(ScanProblem::kCancelled, problem);
    return Fail(ScanProblem::kDeviceGone, problem,
                "page ended after " + std::to_string(lines) + " of " + std::to_string(p.lines) + " lines");
  }
  if (source_ == Source::kFlatbed) sane_cancel(h);  // the feeder keeps going until NO_DOCS
  Page page;
  page.width = p.pixels_per_line;
  page.height = static_cast<int>(lines);
  page.dpi = dpi_;
  page.grey.resize(static_cast<size_t>(page.width) * lines);
  for (size_t y = 0; y < lines; ++y) {
    const uint8_t* row = raw.data() + y * bpl;
    uint8_t* out = page.grey.data() + y * static_cast<size_t>(page.width);
    if (p.depth == 8) {
      std::memcpy(out, row, static_cast<size_t>(page.width));
    } else {  // 16-bit, native byte order: keep the high byte
      for (int x = 0; x < page.width; ++x) {
        uint16_t v;
        std::memcpy(&v, row + 2 * x, 2);
        out[x] = static_cast<uint8_t>(v >> 8);
      }
    }
  }
  if (problem != nullptr) *problem = ScanProblem::kNone;
  return page;
}

ScannedDocument Scanner::ScanDocument(int max_pages, const std::function<void(int)>& after_page) {
  ScannedDocument doc;
  bool feeder_ran_out = false;
  for (;;) {
    if (max_pages > 0 && static_cast<int>(doc.pages.size()) >= max_pages) break;
    ScanProblem problem = ScanProblem::kNone;
    auto page = ScanPage(&problem);
    if (!page.ok()) {
      // The feeder running out after a page is how a feeder document ends.
      feeder_ran_out = problem == ScanProblem::kFeederEmpty;
      if (feeder_ran_out && source_ == Source::kFeeder && !doc.pages.empty()) break;
      doc.status = page.status();
      doc.problem = problem;
      Log(Severity::kWarning, "scanner",
          "scan stopped after " + std::to_string(doc.pages.size()) + " page(s): " + page.status().ToString());
      break;
    }
    doc.pages.push_back(std::move(page.value()));
    if (after_page) after_page(static_cast<int>(doc.pages.size()));
    if (source_ == Source::kFlatbed && max_pages == 0) break;
  }
  // A feeder batch stopped early (N pages) is ended; one the device ended itself is left alone.
  if (source_ == Source::kFeeder && !feeder_ran_out) sane_cancel(handle_->h);
  return doc;
}

void Scanner::Cancel() {
  cancelled_ = true;
  sane_cancel(handle_->h);
}

}  // namespace mck::scanner
