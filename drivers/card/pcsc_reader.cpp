#include "drivers/card/pcsc_reader.h"

#include <PCSC/pcsclite.h>

#include <algorithm>
#include <cstring>

namespace mck::card {
namespace {

constexpr char kPnp[] = "\\\\?PnP?\\Notification";

using Phase = PcscPhase;

}  // namespace

CardError PcscFailure(LONG rc, const char* call, PcscPhase phase) {
  const std::string en = std::string(call) + ": " + pcsc_stringify_error(rc);
  switch (rc) {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
    case SCARD_E_INVALID_HANDLE:
      return MakeCardError(CardFailure::kServiceDown, en,
                           "Dịch vụ đầu đọc thẻ (pcscd) không chạy. Vui lòng báo cán bộ kỹ thuật.");
    case SCARD_W_SECURITY_VIOLATION:
      // pcsc-lite's client turns ECONNRESET on the daemon's socket into this code ("Access
      // denied."): pcscd closed the connection, because it was stopped mid-call or because its
      // polkit rules refused this program. Either way the reader service is not usable.
      return MakeCardError(CardFailure::kServiceDown, en,
                           "Dịch vụ đầu đọc thẻ (pcscd) đã ngắt kết nối hoặc từ chối chương trình. "
                           "Vui lòng báo cán bộ kỹ thuật.");
    case SCARD_F_COMM_ERROR:
      if (phase == Phase::kList) {  // the daemon's socket broke: pcscd died between two calls
        return MakeCardError(CardFailure::kServiceDown, en,
                             "Dịch vụ đầu đọc thẻ (pcscd) không chạy. Vui lòng báo cán bộ kỹ thuật.");
      }
      return MakeCardError(CardFailure::kReadError, en, "Đọc thẻ bị lỗi. Vui lòng đặt thẻ lại và thử lại.");
    case SCARD_E_NO_READERS_AVAILABLE:
      return MakeCardError(CardFailure::kNoReader, en,
                           "Chưa kết nối đầu đọc thẻ. Vui lòng báo cán bộ kiểm tra đầu đọc, hoặc quét mã QR trên thẻ.");
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
      if (phase == Phase::kList) {
        return MakeCardError(
            CardFailure::kNoReader, en,
            "Không tìm thấy đầu đọc thẻ. Vui lòng báo cán bộ kiểm tra đầu đọc, hoặc quét mã QR trên thẻ.");
      }
      return MakeCardError(CardFailure::kReaderGone, en,
                           "Đầu đọc thẻ vừa bị ngắt kết nối. Vui lòng báo cán bộ cắm lại đầu đọc, rồi đặt thẻ lại.");
    case SCARD_E_NO_SMARTCARD:
    case SCARD_W_REMOVED_CARD:
      if (phase == Phase::kTransmit) {
        return MakeCardError(CardFailure::kCardRemoved, en,
                             "Thẻ đã bị rút ra khi đang đọc. Vui lòng đặt thẻ lại và giữ yên cho đến khi đọc xong.");
      }
      return MakeCardError(CardFailure::kNoCard, en,
                           "Chưa có thẻ trong đầu đọc. Vui lòng đặt thẻ căn cước vào đầu đọc.");
    case SCARD_E_CANCELLED: return MakeCardError(CardFailure::kCancelled, en, "Đã huỷ đọc thẻ.");
    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_W_UNPOWERED_CARD:
    case SCARD_W_UNSUPPORTED_CARD:
      return MakeCardError(CardFailure::kCardMute, en,
                           "Thẻ không phản hồi. Vui lòng đặt thẻ đúng chiều, mặt chíp hướng vào đầu đọc, rồi thử lại.");
    case SCARD_E_SHARING_VIOLATION:
      return MakeCardError(CardFailure::kReaderBusy, en,
                           "Đầu đọc đang bận với chương trình khác. Vui lòng thử lại sau giây lát.");
    default: return MakeCardError(CardFailure::kReadError, en, "Đọc thẻ bị lỗi. Vui lòng đặt thẻ lại và thử lại.");
  }
}

namespace {

// The context is dead and a new one may work: pcscd went away or restarted. A reset connection
// (SCARD_W_SECURITY_VIOLATION) counts: that is what a call in flight gets when pcscd is killed.
bool ContextLost(LONG rc) {
  return rc == SCARD_E_NO_SERVICE || rc == SCARD_E_SERVICE_STOPPED || rc == SCARD_E_INVALID_HANDLE ||
         rc == SCARD_W_SECURITY_VIOLATION;
}

class PcscTransport final : public ApduTransport {
 public:
  PcscTransport(SCARDCONTEXT ctx, SCARDHANDLE card, DWORD protocol, std::string reader,
                const std::atomic<bool>& cancelled)
      : ctx_(ctx), card_(card), protocol_(protocol), reader_(std::move(reader)), cancelled_(cancelled) {}

  CardResult<Bytes> Transmit(ByteView apdu) override {
    Bytes out;
    Bytes command(apdu.begin(), apdu.end());
    for (int round = 0; round < 64; ++round) {
      auto r = TransmitOnce(command);
      if (!r.ok()) return r.error();
      Bytes& raw = *r;
      const uint8_t sw1 = raw[raw.size() - 2], sw2 = raw[raw.size() - 1];
      if (sw1 == 0x61) {  // T=0: more data waiting, fetch it with GET RESPONSE
        out.insert(out.end(), raw.begin(), raw.end() - 2);
        command = {0x00, 0xC0, 0x00, 0x00, sw2};
        continue;
      }
      if (sw1 == 0x6C && command.size() >= 5) {  // T=0: wrong Le, the chip says which
        command.back() = sw2;
        continue;
      }
      out.insert(out.end(), raw.begin(), raw.end());
      return out;
    }
    return MakeCardError(CardFailure::kReadError, "GET RESPONSE loop",
                         "Đọc thẻ bị lỗi. Vui lòng đặt thẻ lại và thử lại.");
  }

 private:
  CardResult<Bytes> TransmitOnce(const Bytes& command) {
    if (cancelled_) return MakeCardError(CardFailure::kCancelled, "cancelled", "Đã huỷ đọc thẻ.");
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    Bytes rx(MAX_BUFFER_SIZE_EXTENDED);
    DWORD n = static_cast<DWORD>(rx.size());
    const LONG rc =
        SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, rx.data(), &n);
    if (rc == SCARD_S_SUCCESS && n >= 2) {
      rx.resize(n);
      return rx;
    }
    if (rc == SCARD_W_REMOVED_CARD || rc == SCARD_E_NO_SMARTCARD || rc == SCARD_E_UNKNOWN_READER ||
        rc == SCARD_E_READER_UNAVAILABLE || ContextLost(rc)) {
      return PcscFailure(rc, "SCardTransmit", Phase::kTransmit);
    }
    // A communication error or an empty answer: was the card pulled or the reader unplugged?
    // pcscd notices an absent card on its next poll, so wait briefly for the state to settle.
    SCARD_READERSTATE st{};
    st.szReader = reader_.c_str();
    st.dwCurrentState = SCARD_STATE_UNAWARE;
    LONG prc = SCardGetStatusChange(ctx_, 0, &st, 1);
    for (int i = 0; i < 4 && prc == SCARD_S_SUCCESS && (st.dwEventState & SCARD_STATE_PRESENT); ++i) {
      st.dwCurrentState = st.dwEventState & ~SCARD_STATE_CHANGED;
      prc = SCardGetStatusChange(ctx_, 500, &st, 1);
      if (prc == SCARD_E_TIMEOUT) prc = SCARD_S_SUCCESS;
    }
    if (prc == SCARD_E_UNKNOWN_READER ||
        (prc == SCARD_S_SUCCESS && (st.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)))) {
      return PcscFailure(SCARD_E_READER_UNAVAILABLE, "SCardTransmit", Phase::kTransmit);
    }
    if (prc == SCARD_S_SUCCESS && (st.dwEventState & SCARD_STATE_EMPTY)) {
      return PcscFailure(SCARD_W_REMOVED_CARD, "SCardTransmit", Phase::kTransmit);
    }
    if (rc == SCARD_S_SUCCESS) {
      return MakeCardError(CardFailure::kReadError, "SCardTransmit: response shorter than a status word",
                           "Thẻ trả lời không đầy đủ. Vui lòng đặt thẻ lại và thử lại.");
    }
    return PcscFailure(rc, "SCardTransmit", Phase::kTransmit);
  }

  SCARDCONTEXT ctx_;
  SCARDHANDLE card_;
  DWORD protocol_;
  std::string reader_;
  const std::atomic<bool>& cancelled_;
};

std::vector<std::string> SplitMultiString(const char* p, DWORD len) {
  std::vector<std::string> out;
  const char* end = p + len;
  while (p < end && *p) {
    const size_t n = strnlen(p, static_cast<size_t>(end - p));
    out.emplace_back(p, n);
    p += n + 1;
  }
  return out;
}

}  // namespace

PcscCardReader::PcscCardReader(PcscOptions options, const Clock* clock)
    : options_(std::move(options)), clock_(clock ? clock : &system_clock_) {}

PcscCardReader::~PcscCardReader() {
  DropContext();
}

CardStatus PcscCardReader::EnsureContext() {
  std::lock_guard<std::mutex> lock(context_mu_);
  if (have_context_) return CardStatus::Ok();
  const LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_);
  if (rc != SCARD_S_SUCCESS) return PcscFailure(rc, "SCardEstablishContext", Phase::kList);
  have_context_ = true;
  return CardStatus::Ok();
}

void PcscCardReader::DropContext() {
  std::lock_guard<std::mutex> lock(context_mu_);
  // Dropped: the context is being discarded (often because pcscd already lost it).
  if (have_context_) SCardReleaseContext(context_);
  have_context_ = false;
  known_.clear();
  pnp_state_ = SCARD_STATE_UNAWARE;
  primed_ = false;
}

void PcscCardReader::Cancel() {
  cancelled_ = true;
  std::lock_guard<std::mutex> lock(context_mu_);
  // Best effort: if it fails, a blocked wait still ends at its own timeout (250 ms in CardWorker).
  if (have_context_) SCardCancel(context_);
}

CardResult<std::vector<std::string>> PcscCardReader::ListOnce() {
  MCK_RETURN_IF_CARD_ERROR(EnsureContext());
  DWORD len = 0;
  LONG rc = SCardListReaders(context_, nullptr, nullptr, &len);
  if (rc == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>();
  if (rc != SCARD_S_SUCCESS) {
    if (ContextLost(rc)) DropContext();
    return PcscFailure(rc, "SCardListReaders", Phase::kList);
  }
  std::string buf(len, '\0');
  rc = SCardListReaders(context_, nullptr, buf.data(), &len);
  if (rc == SCARD_E_NO_READERS_AVAILABLE) return std::vector<std::string>();
  if (rc != SCARD_S_SUCCESS) {
    if (ContextLost(rc)) DropContext();
    return PcscFailure(rc, "SCardListReaders", Phase::kList);
  }
  return SplitMultiString(buf.data(), std::min<DWORD>(len, static_cast<DWORD>(buf.size())));
}

CardResult<std::vector<std::string>> PcscCardReader::ListReaders() {
  auto r = ListOnce();
  if (!r.ok() && r.failure() == CardFailure::kServiceDown) {
    DropContext();  // pcscd restarted (or was socket-activated): a fresh context, one retry
    r = ListOnce();
  }
  return r;
}

CardResult<std::string> PcscCardReader::PickReader(const std::string& wanted) {
  auto readers = ListReaders();
  if (!readers.ok()) return readers.error();
  if (readers->empty()) return PcscFailure(SCARD_E_NO_READERS_AVAILABLE, "no reader", Phase::kList);
  const std::string& want = wanted.empty() ? options_.reader_name : wanted;
  if (!want.empty()) {
    for (const auto& r : *readers) {
      if (r == want) return r;
    }
    for (const auto& r : *readers) {
      if (r.find(want) != std::string::npos) return r;
    }
    return MakeCardError(CardFailure::kNoReader, "no reader matches the configured name",
                         "Không tìm thấy đầu đọc thẻ đã cấu hình. Vui lòng báo cán bộ kiểm tra đầu đọc.");
  }
  std::vector<SCARD_READERSTATE> st(readers->size());
  for (size_t i = 0; i < st.size(); ++i) {
    st[i].szReader = (*readers)[i].c_str();
    st[i].dwCurrentState = SCARD_STATE_UNAWARE;
  }
  if (SCardGetStatusChange(context_, 0, st.data(), static_cast<DWORD>(st.size())) == SCARD_S_SUCCESS) {
    for (size_t i = 0; i < st.size(); ++i) {
      if (st[i].dwEventState & SCARD_STATE_PRESENT) return (*readers)[i];
    }
  }
  return readers->front();
}

CardResult<Identity> PcscCardReader::Read(const std::string& wanted, const AccessKey& key,
                                          const ReadProgress& progress) {
  cancelled_ = false;
  stats_ = EmrtdStats{};
  // A malformed key is the caller's to fix: say so before touching the reader.
  MCK_RETURN_IF_CARD_ERROR(CheckAccessKey(key, VietnamDate(clock_->Now())));
  auto reader = PickReader(wanted);
  if (!reader.ok()) return reader.error();
  used_extended_ = false;
  auto r = ReadOnce(*reader, key, progress, options_.allow_extended);
  if (!r.ok() && used_extended_ && r.failure() == CardFailure::kReadError) {
    // The reader or the card did not take extended APDUs after all: once more with short ones.
    Status first = r.status();
    r = ReadOnce(*reader, key, progress, false);
    // The card went away in between: that, not the connect failure, is what happened.
    if (!r.ok() && r.failure() == CardFailure::kNoCard) {
      return MakeCardError(CardFailure::kCardRemoved, "card gone after: " + first.message_en(),
                           "Thẻ đã bị rút ra khi đang đọc. Vui lòng đặt thẻ lại và giữ yên cho đến khi đọc xong.");
    }
  }
  return r;
}

CardResult<Identity> PcscCardReader::ReadOnce(const std::string& reader, const AccessKey& key,
                                              const ReadProgress& progress, bool allow_extended) {
  SCARDHANDLE card = 0;
  DWORD protocol = 0;
  LONG rc = SCardConnect(context_, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card,
                         &protocol);
  if (rc != SCARD_S_SUCCESS) {
    if (ContextLost(rc)) DropContext();
    return PcscFailure(rc, "SCardConnect", Phase::kConnect);
  }
  Bytes atr(MAX_ATR_SIZE);
  DWORD atr_len = static_cast<DWORD>(atr.size()), state = 0, proto = 0;
  char name[MAX_READERNAME];
  DWORD name_len = sizeof name;
  if (SCardStatus(card, name, &name_len, &state, &proto, atr.data(), &atr_len) == SCARD_S_SUCCESS) {
    atr.resize(atr_len);
  } else {
    atr.clear();
  }
  EmrtdOptions opt;
  used_extended_ = allow_extended && AtrSupportsExtendedLength(atr);
  opt.max_chunk = used_extended_ ? kExtendedChunk : kShortChunk;
  if (options_.random) opt.random = options_.random;
  opt.read_face = options_.read_face || key.read_face;
  opt.csca_file = options_.csca_file;
  opt.crl_file = options_.crl_file;
  opt.today = VietnamDate(clock_->Now());
  // EF.CardAccess: kept while this card stays in this reader (pcscd's event counter unchanged).
  SCARD_READERSTATE presence{};
  presence.szReader = reader.c_str();
  presence.dwCurrentState = SCARD_STATE_UNAWARE;
  const bool counted = SCardGetStatusChange(context_, 0, &presence, 1) == SCARD_S_SUCCESS && !atr.empty();
  const DWORD event_count = presence.dwEventState >> 16;
  if (!counted || !card_access_ || card_access_->reader != reader || card_access_->atr != atr ||
      card_access_->event_count != event_count) {
    card_access_.reset();
    if (counted) card_access_ = CardAccessEntry{reader, atr, event_count, {}};
  }
  if (card_access_) opt.card_access = &card_access_->cache;
  PcscTransport transport(context_, card, protocol, reader, cancelled_);
  stats_ = EmrtdStats{};
  rc = SCardBeginTransaction(card);
  CardResult<Identity> result = rc == SCARD_S_SUCCESS
                                    ? ReadEmrtd(transport, key, opt, progress, &stats_)
                                    : CardResult<Identity>(PcscFailure(rc, "SCardBeginTransaction", Phase::kTransmit));
  // The read's result is what the caller needs. Ending the transaction and disconnecting fail only
  // when the card or pcscd is already gone, which leaves nothing to clean up.
  if (rc == SCARD_S_SUCCESS) SCardEndTransaction(card, SCARD_LEAVE_CARD);
  // Reset the chip: the session keys die with it, and the next read starts clean.
  SCardDisconnect(card, SCARD_RESET_CARD);
  return result;
}

namespace {
constexpr long kWaitSliceMs = 250;  // a lost Cancel() costs at most this
}  // namespace

CardResult<std::vector<CardEvent>> PcscCardReader::WaitForChange(std::chrono::milliseconds timeout) {
  cancelled_ = false;
  std::vector<CardEvent> events;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int attempt = 0;; ++attempt) {
    auto readers = ListReaders();
    if (!readers.ok()) return readers.error();
    // Readers that appeared or vanished since the last call.
    for (const auto& r : *readers) {
      if (!known_.count(r)) {
        known_[r] = SCARD_STATE_UNAWARE;
        events.push_back({CardEventKind::kReaderAdded, r});
      }
    }
    for (auto it = known_.begin(); it != known_.end();) {
      if (std::find(readers->begin(), readers->end(), it->first) == readers->end()) {
        if (it->second & SCARD_STATE_PRESENT) events.push_back({CardEventKind::kCardRemoved, it->first});
        events.push_back({CardEventKind::kReaderRemoved, it->first});
        it = known_.erase(it);
      } else {
        ++it;
      }
    }
    std::vector<std::string> names;
    std::vector<SCARD_READERSTATE> st;
    for (const auto& [name, state] : known_) names.push_back(name);
    st.resize(names.size() + 1);
    for (size_t i = 0; i < names.size(); ++i) {
      st[i].szReader = names[i].c_str();
      st[i].dwCurrentState = known_[names[i]];
    }
    st.back().szReader = kPnp;
    st.back().dwCurrentState = pnp_state_;
    long remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    // Report what is already known (first call, new readers) without blocking.
    if (!events.empty() || !primed_) remaining = 0;
    // SCardCancel only wakes a call that is already blocked: a Cancel() that lands just before
    // it (while the readers are listed, or on a loaded machine) would be lost for the whole
    // timeout. So wait in slices and look at the flag between them.
    if (cancelled_) return events;
    remaining = std::min(remaining, kWaitSliceMs);
    const LONG rc = SCardGetStatusChange(context_, static_cast<DWORD>(std::max(0L, remaining)), st.data(),
                                         static_cast<DWORD>(st.size()));
    if (rc == SCARD_E_TIMEOUT) {
      primed_ = true;
      if (!events.empty() || cancelled_ || std::chrono::steady_clock::now() >= deadline) return events;
      continue;
    }
    if (rc == SCARD_E_CANCELLED) return events;
    if (rc == SCARD_E_UNKNOWN_READER) continue;  // a reader vanished between the list and the wait
    if (rc != SCARD_S_SUCCESS) {
      if (ContextLost(rc) && attempt == 0) {
        DropContext();
        continue;
      }
      return PcscFailure(rc, "SCardGetStatusChange", Phase::kList);
    }
    primed_ = true;
    for (size_t i = 0; i < names.size(); ++i) {
      const DWORD ev = st[i].dwEventState;
      if (!(ev & SCARD_STATE_CHANGED)) continue;
      const DWORD before = known_[names[i]];
      if (ev & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)) continue;  // gone: the next listing reports it
      const bool was = before & SCARD_STATE_PRESENT, now = ev & SCARD_STATE_PRESENT;
      if (now && !was) events.push_back({CardEventKind::kCardInserted, names[i]});
      if (!now && was) events.push_back({CardEventKind::kCardRemoved, names[i]});
      known_[names[i]] = ev & ~SCARD_STATE_CHANGED;
    }
    if (st.back().dwEventState & SCARD_STATE_CHANGED) pnp_state_ = st.back().dwEventState & ~SCARD_STATE_CHANGED;
    if (!events.empty()) return events;
    if (cancelled_ || std::chrono::steady_clock::now() >= deadline) return events;
  }
}

}  // namespace mck::card
