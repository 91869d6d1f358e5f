// A citizen's "Gọi cán bộ hỗ trợ" (store.help()): the kiosk asks staff to come, staff dismiss it
// when they have helped. A request names the kiosk, the screen it was asked from and when
// (+07:00): never who asked or what they typed. At most one request per kiosk is open: asking
// again while one is open finds it (no second row). The session wipe does not dismiss it (the
// person may still be standing there); only staff do.
//
// Thread-safety: as Store. Every change is one transaction with its audit row.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/status.h"
#include "offline/store/part.h"

namespace mck {

struct HelpRequest {
  int64_t id = 0;
  int kiosk_number = 0;
  std::string screen;                       // "form", "documents", ...: where the citizen was
  std::string requested_at;                 // RFC 3339, +07:00
  int64_t requested_unix = 0;
  std::optional<std::string> dismissed_at;  // RFC 3339, +07:00; none while open
  bool open() const { return !dismissed_at.has_value(); }
};

class HelpDesk : public StorePart {
 public:
  using StorePart::StorePart;

  // Opens a request from this kiosk (StoreOptions::kiosk_number) asked on `screen`, or returns
  // the one already open (`created` false then). Audit "help.requested".
  struct Asked {
    HelpRequest request;
    bool created = false;
  };
  Result<Asked> Ask(const std::string& screen);
  // The open requests, oldest first.
  Result<std::vector<HelpRequest>> Open();
  // Staff have helped: the request is closed with the time, audit "help.dismissed" by staff.
  // kNotFound when no open request has that id (already dismissed, or none).
  Result<HelpRequest> Dismiss(int64_t id);
  // One request, open or not (tests, diagnostics). kNotFound when none has that id.
  Result<HelpRequest> Get(int64_t id);
};

}  // namespace mck
