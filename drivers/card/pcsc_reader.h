// The real card reader: PC/SC through pcsc-lite (pcscd), reading the chip with emrtd.h.
//
// - Readers are listed with SCardListReaders; WaitForChange uses SCardGetStatusChange on every
//   reader plus the "\\?PnP?\\Notification" pseudo-reader, so card insert/remove and reader
//   plug/unplug all wake it. The first call reports what is already there (readers added, cards
//   inserted) so the caller starts from a known state.
// - pcscd may exit when idle and contexts die when it restarts (pyscard#153): on
//   SCARD_E_NO_SERVICE / SCARD_E_SERVICE_STOPPED / SCARD_E_INVALID_HANDLE, and on
//   SCARD_W_SECURITY_VIOLATION (pcsc-lite's name for a connection pcscd reset, as when it is
//   killed while a call is in flight) the context is re-established and the call retried
//   once; still down is CardFailure::kServiceDown.
// - Extended-length READ BINARY when the card's ATR says it supports it; if that read fails for
//   a reason other than a pulled card or a wrong key, the card is reset and read again with short
//   APDUs.
// - Every native SCARD_* code is mapped to a CardError (kind + Status) in one place (PcscFailure in
//   the .cpp).
//
// Threading: one worker thread makes every call except Cancel(), which may come from any thread
// (SCardCancel is the one PC/SC call meant for that).
#pragma once

#include <PCSC/winscard.h>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>

#include "drivers/card/card_reader.h"
#include "drivers/card/emrtd.h"
#include "offline/domain/clock.h"

namespace mck::card {

// Where a PC/SC call failed: the same code means different things (SCARD_W_REMOVED_CARD while
// connecting is "no card", while transmitting "card removed mid-read").
enum class PcscPhase { kList, kConnect, kTransmit };
// The one place where SCARD_* codes become CardErrors: the kind, an English message naming
// `call` and the code, and the Vietnamese message for people.
CardError PcscFailure(LONG rc, const char* call, PcscPhase phase);

struct PcscOptions {
  std::string reader_name;  // substring of the reader to use when Read() is given none
  std::string csca_file;    // see sod.h; empty: never kChipVerified
  std::string crl_file;     // see sod.h; empty: no revocation check
  bool read_face = false;   // DG2 on every read (kioskctl --face-out); AccessKey::read_face asks per read
  bool allow_extended = true;
  // Source of RND.IFD and K.IFD (tests pin the ICAO worked example); SecureRandom when empty.
  std::function<void(uint8_t*, size_t)> random;
};

class PcscCardReader final : public CardReader {
 public:
  explicit PcscCardReader(PcscOptions options, const Clock* clock = nullptr);
  ~PcscCardReader() override;

  CardResult<std::vector<std::string>> ListReaders() override;
  CardResult<Identity> Read(const std::string& reader, const AccessKey& key, const ReadProgress& progress) override;
  CardResult<std::vector<CardEvent>> WaitForChange(std::chrono::milliseconds timeout) override;
  void Cancel() override;

  // Figures of the last Read (APDUs, bytes, files), for `kioskctl card read --stats` and the
  // benchmark.
  const EmrtdStats& last_stats() const { return stats_; }

 private:
  CardStatus EnsureContext();
  void DropContext();
  CardResult<std::vector<std::string>> ListOnce();
  CardResult<std::string> PickReader(const std::string& wanted);
  CardResult<Identity> ReadOnce(const std::string& reader, const AccessKey& key, const ReadProgress& progress,
                                bool allow_extended);

  PcscOptions options_;
  const Clock* clock_;
  SystemClock system_clock_;
  std::mutex context_mu_;  // guards context_ against Cancel() from another thread
  SCARDCONTEXT context_ = 0;
  bool have_context_ = false;
  std::atomic<bool> cancelled_{false};
  std::map<std::string, DWORD> known_;  // reader -> last event state
  DWORD pnp_state_ = SCARD_STATE_UNAWARE;
  bool primed_ = false;
  bool used_extended_ = false;
  EmrtdStats stats_;
  // EF.CardAccess of the card in the reader, read once per card presence: kept with the reader's
  // name, the ATR and pcscd's event counter (the high 16 bits of the reader's event state, which
  // pcscd bumps at every insertion and removal), so another card, or the same card put back,
  // is read afresh.
  struct CardAccessEntry {
    std::string reader;
    Bytes atr;
    DWORD event_count = 0;
    CardAccessCache cache;
  };
  std::optional<CardAccessEntry> card_access_;
};

}  // namespace mck::card
