#include "offline/sync/transport.h"

#include <strings.h>

namespace mck {

std::string PortalRequest::Header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (::strcasecmp(n.c_str(), name.c_str()) == 0) return v;
  }
  return {};
}

const char* TransportFailureName(TransportFailure f) {
  switch (f) {
    case TransportFailure::kNone: return "none";
    case TransportFailure::kCannotConnect: return "cannot_connect";
    case TransportFailure::kTimeout: return "timeout";
    case TransportFailure::kTls: return "tls";
    case TransportFailure::kAborted: return "aborted";
    case TransportFailure::kDropped: return "dropped";
    case TransportFailure::kLocal: return "local";
    case TransportFailure::kTooLarge: return "too_large";
  }
  return "unknown";
}

}  // namespace mck
