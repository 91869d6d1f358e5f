#include "offline/domain/log.h"

#include <iostream>
#include <mutex>

#include "offline/domain/ids.h"

namespace mck {
namespace {

std::mutex g_mu;
LogSink g_sink;  // guarded by g_mu; null: stderr

std::string CleanComponent(std::string_view c) {
  if (c.empty() || c.size() > 32) return "other";
  for (char ch : c) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    if (!ok) return "other";
  }
  return std::string(c);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> JournalFields(const LogRecord& record, std::string_view identifier) {
  std::vector<std::pair<std::string, std::string>> f = {{"MESSAGE", record.message},
                                                        {"PRIORITY", std::to_string(static_cast<int>(record.severity))},
                                                        {"SYSLOG_IDENTIFIER", std::string(identifier)},
                                                        {"MCK_COMPONENT", CleanComponent(record.component)}};
  if (IsUuid(record.client_id)) f.emplace_back("MCK_CLIENT_ID", record.client_id);
  return f;
}

std::string StderrLine(const LogRecord& record) {
  std::string line = CleanComponent(record.component) + ": " + record.message;
  if (IsUuid(record.client_id)) line += " [dossier " + record.client_id + "]";
  return line;
}

void SetLogSink(LogSink sink) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_sink = std::move(sink);
}

void Log(Severity severity, std::string_view component, std::string_view message, std::string_view client_id) {
  LogRecord r{severity, std::string(component), std::string(message), std::string(client_id)};
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_sink) {
    g_sink(r);
  } else {
    std::cerr << StderrLine(r) << "\n" << std::flush;
  }
}

}  // namespace mck
