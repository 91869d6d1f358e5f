// Fuzz target: everything that parses bytes from a card — BER-TLV (one, a list, headers), DG13,
// EF.SOD (our TLV walk over OpenSSL's CMS parse), DG1's MRZ, the secure-messaging response
// unwrapping, DG2 image extraction and the ATR walk. Every input must end in a value or a clean
// Status: no crash, no read out of bounds (ASan), no undefined behaviour (UBSan).
#include <cstddef>
#include <cstdint>

#include "drivers/card/bac_crypto.h"
#include "drivers/card/dg13.h"
#include "drivers/card/emrtd.h"
#include "drivers/card/mrz.h"
#include "drivers/card/sod.h"
#include "drivers/card/tlv.h"

using namespace mck::card;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView in(data, size);
  (void)ParseTlvHeader(in);
  if (auto t = ParseTlv(in); t.ok() && t->constructed) (void)ParseTlvList(t->value);
  (void)ParseTlvList(in);
  (void)FindChild(in, 0x5C);
  if (auto f = ParseDg13(in); f.ok()) {
    Identity id;
    ApplyDg13(*f, &id);
  }
  if (auto sod = ParseSod(in); sod.ok()) (void)SodDigest(*sod, in);
  (void)ParseMrz(std::string_view(reinterpret_cast<const char*>(data), size), mck::CivilDate{2026, 1, 1});
  (void)ExtractFaceImage(in);
  (void)AtrSupportsExtendedLength(in);
  if (size >= 2) {
    SecureMessaging sm({FromHex("979EC13B1CBFE9DCD01AB0FED307EAE5"), FromHex("F1CB1F1FB5ADF208806B89DC579DC1F8")},
                       FromHex("887022120C06C227"));
    (void)sm.Unprotect(
        Response{Bytes(data, data + size - 2), static_cast<uint16_t>(data[size - 2] << 8 | data[size - 1])});
  }
  return 0;
}
