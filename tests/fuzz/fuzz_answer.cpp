// Fuzz targets: the portal's answers as the kiosk reads them (offline/sync/answer.h), one target
// per answer, chosen at build time by MCK_FUZZ_ANSWER (tests/fuzz/CMakeLists.txt):
//   submit     201/200 to POST /api/v1/dossiers            ReadSubmitAnswer
//   status     GET /api/v1/dossiers/{code} (look-up, poll)  ReadStatusAnswer
//   heartbeat  the heartbeat's answer (commands)            ReadHeartbeatAnswer
//   catalog    GET /api/v1/procedures                       ReadCatalogAnswer
//   enrol      POST /api/v1/kiosks/enroll                    ReadEnrolAnswer
//   error      any non-2xx body (the error envelope)        ReadPortalErrorBody + ReadAttentionReasons
//   decision   POST .../decisions                            ReadDecisionAnswer
// Whatever the bytes, a reader returns a value or a Status: no crash, no exception, no sanitizer
// report, and what it returns can be used (dumped, iterated) without recursion trouble.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "offline/sync/answer.h"

#ifndef MCK_FUZZ_ANSWER
#error "define MCK_FUZZ_ANSWER (submit, status, heartbeat, catalog, enrol, error, decision)"
#endif

#define MCK_STR2(x) #x
#define MCK_STR(x) MCK_STR2(x)

using namespace mck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view which = MCK_STR(MCK_FUZZ_ANSWER);
  if constexpr (which == "submit") {
    auto a = ReadSubmitAnswer(body);
    if (a.ok() && a->dossier_code.empty()) __builtin_trap();  // a code is required
  } else if constexpr (which == "status") {
    auto a = ReadStatusAnswer(body);
    if (a.ok() && a->status.empty()) __builtin_trap();
  } else if constexpr (which == "heartbeat") {
    auto a = ReadHeartbeatAnswer(body);
    if (a.ok() && a->commands.size() > 32) __builtin_trap();
  } else if constexpr (which == "catalog") {
    JsonLimits limits;
    limits.max_bytes = size_t{16} << 20;
    auto c = ReadCatalogAnswer(body, limits);
    if (c.ok()) (void)CatalogToJson(*c).dump();
  } else if constexpr (which == "enrol") {
    auto a = ReadEnrolAnswer(body);
    if (a.ok() && (a->kiosk_id.empty() || a->certificate.empty())) __builtin_trap();
  } else if constexpr (which == "error") {
    const PortalError e = ReadPortalErrorBody(body);
    if (!e.details.is_array() || e.details.size() > 100) __builtin_trap();
    (void)e.details.dump();  // what the store seals
    (void)ReadAttentionReasons(e.details);
  } else if constexpr (which == "decision") {
    (void)ReadDecisionAnswer(body);
  }
  return 0;
}
