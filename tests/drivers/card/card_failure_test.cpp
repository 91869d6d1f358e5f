// Card failures as a type: every SCARD_* code the driver meets maps to its kind in the one helper
// (PcscFailure), the chip's status words on authenticate become kWrongKey, and a transport's kind
// passes through ReadEmrtd unchanged. Pure: no pcscd, no card.
#include <catch2/catch.hpp>

#include <PCSC/pcsclite.h>

#include <set>
#include <string>

#include "drivers/card/card_failure.h"
#include "drivers/card/emrtd.h"
#include "drivers/card/mrz.h"
#include "drivers/card/pcsc_reader.h"

using namespace mck::card;

TEST_CASE("every card failure kind has its own name and the code documented for it", "[card][failure]") {
  std::set<std::string> names;
  for (CardFailure k : kAllCardFailures) {
    INFO(CardFailureName(k));
    CHECK(names.insert(CardFailureName(k)).second);
    const CardError e = MakeCardError(k, "detail", "chi tiết");
    CHECK(e.kind == k);
    CHECK_FALSE(e.status.ok());
    CHECK(e.status.code() == CardFailureCode(k));
    CHECK(e.status.message_en() == "detail");  // the kind is never folded into the text
  }
  CHECK(CardFailureCode(CardFailure::kWrongKey) == mck::Code::kRejected);
  CHECK(CardFailureCode(CardFailure::kServiceDown) == mck::Code::kUnavailable);
  CHECK(CardFailureCode(CardFailure::kCardRemoved) == mck::Code::kUnavailable);
  // kServiceDown and kCardRemoved share a Code: only the kind tells them apart.
  CHECK(std::string(CardFailureName(CardFailure::kServiceDown)) == "service_down");
}

TEST_CASE("PcscFailure maps each SCARD code to its kind, by the phase of the call", "[card][failure][pcsc]") {
  struct Case {
    LONG rc;
    PcscPhase phase;
    CardFailure want;
  } cases[] = {
      {SCARD_E_NO_SERVICE, PcscPhase::kList, CardFailure::kServiceDown},
      {SCARD_E_SERVICE_STOPPED, PcscPhase::kTransmit, CardFailure::kServiceDown},
      {SCARD_E_INVALID_HANDLE, PcscPhase::kConnect, CardFailure::kServiceDown},
      {SCARD_W_SECURITY_VIOLATION, PcscPhase::kTransmit, CardFailure::kServiceDown},
      {SCARD_F_COMM_ERROR, PcscPhase::kList, CardFailure::kServiceDown},
      {SCARD_F_COMM_ERROR, PcscPhase::kTransmit, CardFailure::kReadError},
      {SCARD_E_NO_READERS_AVAILABLE, PcscPhase::kList, CardFailure::kNoReader},
      {SCARD_E_UNKNOWN_READER, PcscPhase::kList, CardFailure::kNoReader},
      {SCARD_E_READER_UNAVAILABLE, PcscPhase::kTransmit, CardFailure::kReaderGone},
      {SCARD_E_UNKNOWN_READER, PcscPhase::kConnect, CardFailure::kReaderGone},
      {SCARD_W_REMOVED_CARD, PcscPhase::kTransmit, CardFailure::kCardRemoved},
      {SCARD_E_NO_SMARTCARD, PcscPhase::kTransmit, CardFailure::kCardRemoved},
      {SCARD_W_REMOVED_CARD, PcscPhase::kConnect, CardFailure::kNoCard},
      {SCARD_E_NO_SMARTCARD, PcscPhase::kConnect, CardFailure::kNoCard},
      {SCARD_E_CANCELLED, PcscPhase::kTransmit, CardFailure::kCancelled},
      {SCARD_W_UNRESPONSIVE_CARD, PcscPhase::kConnect, CardFailure::kCardMute},
      {SCARD_W_UNPOWERED_CARD, PcscPhase::kConnect, CardFailure::kCardMute},
      {SCARD_W_UNSUPPORTED_CARD, PcscPhase::kConnect, CardFailure::kCardMute},
      {SCARD_E_SHARING_VIOLATION, PcscPhase::kConnect, CardFailure::kReaderBusy},
      {SCARD_E_PROTO_MISMATCH, PcscPhase::kConnect, CardFailure::kReadError},
  };
  for (const auto& c : cases) {
    INFO(pcsc_stringify_error(c.rc) << " in phase " << static_cast<int>(c.phase));
    const CardError e = PcscFailure(c.rc, "SCardX", c.phase);
    CHECK(e.kind == c.want);
    CHECK(e.status.code() == CardFailureCode(c.want));
    CHECK(e.status.message_en().find("SCardX") != std::string::npos);  // the call, for the log
    CHECK_FALSE(e.status.message_vi().empty());
  }
}

namespace {

// A card that speaks only as far as BAC: the eMRTD application is there (or not), GET CHALLENGE
// works, EXTERNAL AUTHENTICATE answers `auth_sw`. Or a transport that fails with `fail` at once.
class ScriptedCard final : public ApduTransport {
 public:
  uint16_t select_sw = 0x9000;
  uint16_t auth_sw = 0x6300;
  std::optional<CardError> fail;
  int authenticates = 0;

  CardResult<Bytes> Transmit(ByteView apdu) override {
    if (fail) return *fail;
    const uint8_t ins = apdu.size() > 1 ? apdu[1] : 0;
    if (ins == 0xA4) return Sw(select_sw);  // SELECT
    if (ins == 0x84) {                      // GET CHALLENGE
      Bytes r = {1, 2, 3, 4, 5, 6, 7, 8};
      Append(r, Sw(0x9000));
      return r;
    }
    if (ins == 0x82) {  // EXTERNAL AUTHENTICATE
      ++authenticates;
      return Sw(auth_sw);
    }
    return Sw(0x6D00);
  }

 private:
  static Bytes Sw(uint16_t sw) { return {static_cast<uint8_t>(sw >> 8), static_cast<uint8_t>(sw)}; }
  static void Append(Bytes& a, const Bytes& b) { a.insert(a.end(), b.begin(), b.end()); }
};

AccessKey Key() {
  auto k = AccessKeyFromIdNumber("024090000017", {1990, 3, 15});
  REQUIRE(k.ok());
  return *k;
}

EmrtdOptions Opts() {
  EmrtdOptions o;
  o.today = {2026, 12, 6};
  o.random = [](uint8_t* out, size_t n) {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(i);
  };
  return o;
}

}  // namespace

TEST_CASE("the chip refusing mutual authentication is a wrong key, whatever refusal word it uses", "[card][failure]") {
  for (uint16_t sw : {0x6300, 0x6982, 0x63C2}) {
    INFO(std::hex << sw);
    ScriptedCard card;
    card.auth_sw = sw;
    auto r = ReadEmrtd(card, Key(), Opts(), nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure() == CardFailure::kWrongKey);
    CHECK(card.authenticates >= 2);  // every expiry the renewal ages allow was tried
  }
  ScriptedCard odd;
  odd.auth_sw = 0x6A80;  // not a refusal of the key: the chip broke down
  auto r = ReadEmrtd(odd, Key(), Opts(), nullptr);
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure() == CardFailure::kReadError);
  CHECK(odd.authenticates == 1);
}

TEST_CASE("a card without the eMRTD application is not an ID card and a malformed key never reaches it",
          "[card][failure]") {
  ScriptedCard card;
  card.select_sw = 0x6A82;
  auto r = ReadEmrtd(card, Key(), Opts(), nullptr);
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure() == CardFailure::kNotAnIdCard);

  ScriptedCard untouched;
  untouched.fail = MakeCardError(CardFailure::kReadError, "must not be called", "");
  AccessKey bad = Key();
  bad.date_of_birth = "9913XX";
  auto b = ReadEmrtd(untouched, bad, Opts(), nullptr);
  REQUIRE_FALSE(b.ok());
  CHECK(b.failure() == CardFailure::kBadKey);
}

TEST_CASE("a transport's failure kind comes out of ReadEmrtd unchanged", "[card][failure]") {
  for (CardFailure k :
       {CardFailure::kCardRemoved, CardFailure::kReaderGone, CardFailure::kServiceDown, CardFailure::kCancelled}) {
    INFO(CardFailureName(k));
    ScriptedCard card;
    card.fail = MakeCardError(k, "from the transport", "từ đầu đọc");
    auto r = ReadEmrtd(card, Key(), Opts(), nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure() == k);
    CHECK(r.status().message_en() == "from the transport");
  }
}
